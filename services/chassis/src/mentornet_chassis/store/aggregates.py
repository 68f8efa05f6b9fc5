"""State, inbox and outbox in ONE document write, conditional on the aggregate's version.

Each aggregate is one MongoDB document:
    {_id, version, state, inbox: [recent handled event ids], outbox: [pending records],
     pending: bool}
A handler's effect is a single `replace_one`/`insert_one` on that document, so the state
change, the fact that the event was handled, and the events to emit commit together or
not at all. The relay (see outbox.py) publishes `outbox` entries and pulls them when
the broker has acknowledged them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import UTC, datetime

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
    loaded_from,
    outbox_entry,
    raw_entry,
)
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
    "outbox_entry",
    "raw_entry",
]

PendingWatcher = Callable[["AggregateStore", str], None]
"""Told (store, aggregate id) after a write that added outbox entries."""
WriteWatcher = Callable[[str, "Loaded"], None]
"""Told (aggregate id, the document as written) after every write of this store."""


class AggregateStore:
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
        self.collection = collection
        self.registry = registry
        self.max_record_bytes = max_record_bytes
        self._watchers: list[PendingWatcher] = []
        self._writes: list[WriteWatcher] = []

    def watch_pending(self, watcher: PendingWatcher) -> None:
        """Have `watcher` told of every aggregate this process gives outbox entries, so
        the relay can send exactly those instead of scanning every collection."""
        self._watchers.append(watcher)

    async def load(self, aggregate_id: str) -> Loaded:
        doc = await self.collection.find_one({"_id": aggregate_id})
        return Loaded(state=None, version=0) if doc is None else loaded_from(doc)

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
        )
        if entries:
            for watcher in self._watchers:
                watcher(self, aggregate_id)
        return loaded.version + 1

    def watch_writes(self, watcher: WriteWatcher) -> None:
        """Have `watcher` told of every state this process writes: for views kept in
        memory that must not lag behind this process's own writes."""
        self._writes.append(watcher)

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
    ) -> None:
        doc: Document = {
            "version": loaded.version + 1,
            "state": state,
            "outbox": outbox,
            "pending": bool(outbox),
            "inbox": inbox[-INBOX_WINDOW:],
            "updated_at": datetime.now(UTC),
        }
        if loaded.version == 0:
            await self._insert({"_id": aggregate_id, **doc})
        else:
            result = await self.collection.replace_one(
                {"_id": aggregate_id, "version": loaded.version}, doc
            )
            if result.matched_count != 1:
                raise VersionConflict(aggregate_id)
        written = Loaded(state, loaded.version + 1, tuple(doc["inbox"]), tuple(outbox))
        for watcher in self._writes:
            watcher(aggregate_id, written)

    async def _insert(self, doc: Document) -> None:
        try:
            await self.collection.insert_one(doc)
        except DuplicateKeyError:
            if await self.collection.count_documents({"_id": doc["_id"]}, limit=1):
                raise VersionConflict(doc["_id"]) from None
            raise

    async def apply(
        self,
        aggregate_id: str,
        decide: Callable[[State | None], Decision | Awaitable[Decision]],
        *,
        handled: str | None = None,
        new_likely: bool = False,
        assume: Loaded | None = None,
    ) -> Applied:
        """Load, decide, save; on a version conflict reload and decide again.

        With `handled` set (the id of the event being handled), an event this aggregate
        has already handled is recognised and nothing is written: exactly-once effect.
        `new_likely`: the aggregate is usually not there yet (a registration, a new
        match), so the first attempt decides on no state and inserts without reading;
        if it exists after all, the insert fails and the usual read-decide-write follows.
        `assume`: the document as the caller last saw it written (a view following this
        process's writes); the first attempt decides on it, and a write it made stale
        fails on the version and is read again.
        """
        guess = Loaded(state=None, version=0) if new_likely else assume
        for attempt in range(MAX_CONFLICT_RETRIES):
            guessed = guess if attempt == 0 else None
            guessing = guessed is not None
            loaded = guessed if guessed is not None else await self.load(aggregate_id)
            if handled is not None and handled in loaded.inbox:
                return Applied(Outcome.DUPLICATE, loaded.version, loaded.state)
            try:
                decision = decide(loaded.state)
                if isinstance(decision, Awaitable):
                    decision = await decision
            except Exception:
                if guessing:
                    continue
                raise
            if decision.state is None and not decision.events and not decision.records:
                if guessing:
                    continue
                return Applied(Outcome.UNCHANGED, loaded.version, loaded.state)
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
                continue
            state = decision.state if decision.state is not None else loaded.state
            return Applied(Outcome.APPLIED, version, state, tuple(decision.events))
        raise VersionConflict(
            f"{aggregate_id}: still conflicting after {MAX_CONFLICT_RETRIES} attempts"
        )

    async def load_many(self, aggregate_ids: Collection[str]) -> dict[str, Loaded]:
        """The documents among `aggregate_ids` that exist, in one read."""
        cursor = self.collection.find({"_id": {"$in": list(aggregate_ids)}})
        return {str(doc["_id"]): loaded_from(doc) async for doc in cursor}

    async def get_state(self, aggregate_id: str) -> State | None:
        return (await self.load(aggregate_id)).state

    async def pending(
        self, ids: Collection[str] | None = None, *, before: datetime | None = None
    ) -> list[Document]:
        """Whole aggregates with unsent outbox entries: all of them, those among `ids`,
        or those last written `before`. Whole, so that marking their entries sent can
        rewrite them at once."""
        query: Document = {"pending": True}
        if ids is not None:
            query["_id"] = {"$in": list(ids)}
        if before is not None:
            query["updated_at"] = {"$lt": before}
        return [doc async for doc in self.collection.find(query)]

    async def due_ids(self, now_epoch: float, limit: int = 200) -> list[str]:
        """Aggregates whose `state.due_epoch` has come (see timers.py)."""
        cursor = self.collection.find({"state.due_epoch": {"$lte": now_epoch}}, {"_id": 1}).limit(
            limit
        )
        return [doc["_id"] async for doc in cursor]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("pending")
        await self.collection.create_index("state.due_epoch")
