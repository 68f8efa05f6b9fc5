"""State, inbox and outbox in ONE document write, conditional on the aggregate's version.

Each aggregate is one MongoDB document:
    {_id, version, state, inbox: [recent handled event ids], outbox: [pending records],
     pending: bool}
A handler's effect is a single `replace_one`/`insert_one` on that document, so the state
change, the fact that the event was handled, and the events to emit commit together or
not at all. The relay (see outbox.py) publishes `outbox` entries and pulls them when
the broker has acknowledged them.

Three writes, one per purpose, all through `_write` (which tells the watchers):
`apply` (read, decide, write; the way handlers and use cases change an aggregate),
`save` (write a decision made on a document already read: `apply`'s last step) and
`mark_sent` (the relay removing published entries).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from mentornet_contracts import Envelope, Event, Registry
from mentornet_contracts.budget import EVENT_BUDGET_BYTES
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from mentornet_chassis.store.aggregate_docs import (
    INBOX_WINDOW,
    MAX_CONFLICT_RETRIES,
    Applied,
    Decision,
    EventTooLarge,
    Loaded,
    Outcome,
    State,
    VersionConflict,
    Written,
    aggregate_document,
    loaded_from,
    outbox_entry,
    raw_entry,
)
from mentornet_chassis.store.aggregate_reads import NOT_THERE_YET, AggregateReads
from mentornet_chassis.store.mongo import Document

__all__ = [
    "INBOX_WINDOW",
    "MAX_CONFLICT_RETRIES",
    "AggregateStore",
    "Applied",
    "Decision",
    "EventTooLarge",
    "Loaded",
    "Outcome",
    "State",
    "VersionConflict",
    "Written",
    "outbox_entry",
    "raw_entry",
]

Decide = Callable[[State | None], Decision | Awaitable[Decision]]
"""Given the current state (None: no aggregate yet), what to write."""
WriteWatcher = Callable[[str, Written], None]
"""Told (aggregate id, the document as written) after every write of this store."""


class AggregateStore(AggregateReads):
    """One collection of aggregates that emit events through the outbox.

    Every write replaces the whole document, filtered on the version that was read, so
    a concurrent writer (another handler, or the relay removing sent entries) turns into
    a VersionConflict and a retry, never a lost update.
    """

    def __init__(
        self,
        collection: AsyncCollection[Document],
        registry: Registry,
        *,
        max_record_bytes: int = EVENT_BUDGET_BYTES,
    ) -> None:
        super().__init__(collection)
        self.registry = registry
        self.max_record_bytes = max_record_bytes
        self._watchers: list[WriteWatcher] = []

    def watch_writes(self, watcher: WriteWatcher) -> None:
        """Have `watcher` told of every document this process writes: the relay, to
        send the entries a write added without scanning; views kept in memory, so they
        do not lag behind this process's own writes."""
        self._watchers.append(watcher)

    async def save(
        self,
        aggregate_id: str,
        loaded: Loaded,
        state: State | None,
        events: Sequence[Envelope[Event]] = (),
        *,
        handled: str | None = None,
        records: Sequence[Document] = (),
    ) -> int:
        """Write state, inbox id and outbox entries at once; raise VersionConflict if
        stale, EventTooLarge (before writing) if an event would not fit in a record."""
        entries = [outbox_entry(e, self.registry, self.max_record_bytes) for e in events]
        entries += records
        inbox = [*loaded.inbox, handled] if handled else list(loaded.inbox)
        await self._write(
            aggregate_id,
            loaded,
            state if state is not None else loaded.state,
            [*loaded.outbox, *entries],
            inbox,
            added=tuple(entries),
        )
        return loaded.version + 1

    async def mark_sent(
        self, aggregate_id: str, sent: set[str], seen: Document | None = None
    ) -> None:
        """Remove published entries, keeping entries added since they were read.

        `seen`: the whole pending document the entries came from (`pending()`); if the
        aggregate is still at its version, one conditional write is enough.
        """
        loaded = loaded_from(seen) if seen is not None else await self.load(aggregate_id)
        for _ in range(MAX_CONFLICT_RETRIES):
            remaining = [e for e in loaded.outbox if e["id"] not in sent]
            if len(remaining) == len(loaded.outbox):
                return
            try:
                await self._write(aggregate_id, loaded, loaded.state, remaining, list(loaded.inbox))
                return
            except VersionConflict:
                loaded = await self.load(aggregate_id)
        raise VersionConflict(f"{aggregate_id}: could not mark outbox entries sent")

    async def _write(
        self,
        aggregate_id: str,
        loaded: Loaded,
        state: State | None,
        outbox: list[Document],
        inbox: list[str],
        *,
        added: tuple[Document, ...] = (),
    ) -> None:
        doc = aggregate_document(loaded.version + 1, state, outbox, inbox)
        if loaded.version == 0:
            await self._insert({"_id": aggregate_id, **doc})
        else:
            result = await self.collection.replace_one(
                {"_id": aggregate_id, "version": loaded.version}, doc
            )
            if result.matched_count != 1:
                raise VersionConflict(aggregate_id)
        written = Written(state, loaded.version + 1, tuple(doc["inbox"]), tuple(outbox), added)
        self.tell_watchers(aggregate_id, written)

    def tell_watchers(self, aggregate_id: str, written: Written) -> None:
        """Tell every watcher of a write this process made (bulk writes too: bulk.py)."""
        for watcher in self._watchers:
            watcher(aggregate_id, written)

    async def _insert(self, doc: Document) -> None:
        try:
            await self.coalesced.insert(doc)
        except DuplicateKeyError:
            if await self.collection.count_documents({"_id": doc["_id"]}, limit=1):
                raise VersionConflict(doc["_id"]) from None
            raise

    async def apply(
        self,
        aggregate_id: str,
        decide: Decide,
        *,
        handled: str | None = None,
        new_likely: bool = False,
        assume: Loaded | None = None,
    ) -> Applied:
        """Read, decide, write; on a version conflict read again and decide again.

        `handled`: the id of the event being handled. An event this aggregate has
        handled already is recognised and nothing is written: exactly-once effect.

        `new_likely` and `assume` are one idea, a first guess of the document that spares
        the first attempt its read: `new_likely`, that the aggregate is not there yet (a
        registration, a new match: the write is an insert); `assume`, the document as
        the caller last saw it written (a view following this process's writes). A wrong
        guess costs one failed write (the version does not match), then the usual read
        follows; so does a guess that `decide` refuses (raises) or leaves unchanged.
        """
        guess = NOT_THERE_YET if new_likely else assume
        for _ in range(MAX_CONFLICT_RETRIES):
            loaded = guess if guess is not None else await self.load(aggregate_id)
            applied = await self._attempt(
                aggregate_id, loaded, decide, handled, guessed=guess is not None
            )
            if applied is not None:
                return applied
            guess = None
        raise VersionConflict(
            f"{aggregate_id}: still conflicting after {MAX_CONFLICT_RETRIES} attempts"
        )

    async def _attempt(
        self,
        aggregate_id: str,
        loaded: Loaded,
        decide: Decide,
        handled: str | None,
        *,
        guessed: bool,
    ) -> Applied | None:
        """Decide on `loaded` and write; None when it must be read and decided again."""
        if handled is not None and handled in loaded.inbox:
            return Applied(Outcome.DUPLICATE, loaded.version, loaded.state)
        try:
            decision = decide(loaded.state)
            if isinstance(decision, Awaitable):
                decision = await decision
        except Exception:
            if guessed:
                return None
            raise
        if decision.state is None and not decision.events and not decision.records:
            return None if guessed else Applied(Outcome.UNCHANGED, loaded.version, loaded.state)
        try:
            version = await self.save(
                aggregate_id,
                loaded,
                decision.state,
                decision.events,
                handled=handled,
                records=decision.records,
            )
        except VersionConflict:
            return None
        state = decision.state if decision.state is not None else loaded.state
        return Applied(Outcome.APPLIED, version, state, tuple(decision.events))
