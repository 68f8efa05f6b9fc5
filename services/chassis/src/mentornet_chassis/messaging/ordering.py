"""Record ordering: the one place that decides when a consumed record applies, and what
becomes of a record that has to wait.

A *line* is the records of one topic and key (ParkingLot.line); one entity's events
must apply in the order they were published. Three rules keep that order.

One key at a time. A key's records are handled one at a time within a process, whatever
their topic (KeyLocks). Some facts about one entity travel on several topics under one
key (a match's sessions and its risk flags), and a batch's partitions are handled side
by side: without the lock, a fact from another topic's lane could slip between a parked
record's retry and a newer record of its line. Facts under *another* key (a match's
proposal, keyed by the mentee) are ordered by the waiting record holding its line.

Park, do not block. A record can arrive before the fact it depends on when the two
travel on different streams (a match confirmed before the mentor's registration was
consumed): its handler raises one of the service's `parks` errors. Retrying in place
would hold up the partition, so the record is *parked*: stored with the reason
(parking.py), its offset committed, and retried later by the ParkingWorker with backoff.

Older before newer. A record arriving while its line holds a record that waits for
another key's fact, or for a fact on another topic, is parked behind it. A record that
waits for a fact about *its own key* on *its own topic* (`awaits_own`: an update whose
registration was lost and is being replayed) lets later records of its line through,
since one of them may be that fact: it is retried before each later record, and again
as soon as one applies, before anything newer. While another worker or replica holds
its lease, a later record parks behind it rather than race it.

A waiting record leaves the lot once applied or dead-lettered. Still waiting when tried
before a newer record, it is only given back (neither postponed nor expired: the newer
record may be that very fact); when the worker tries it, it is postponed with backoff,
and after `max_seconds` dead-lettered (reason `parked_expired`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from mentornet_contracts import Envelope, Event

from mentornet_chassis.messaging.deadletters import DeadLetters
from mentornet_chassis.messaging.dispatch import Dispatcher
from mentornet_chassis.messaging.keylocks import KeyLocks
from mentornet_chassis.messaging.parking import ParkingExpired, ParkingLot
from mentornet_chassis.messaging.records import (
    IncomingRecord,
    RecordOutcome,
    event_context,
    record_context,
)
from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.process.workers import pause
from mentornet_chassis.store.mongo import Document
from mentornet_chassis.tracing.messaging import RecordSpans, record_outcome

log = get_logger(__name__)

PARKED = RecordOutcome.PARKED

Decode = Callable[[IncomingRecord], Awaitable[Envelope[Event] | None]]
"""The record's envelope, or None once an undecodable record was dead-lettered."""
InLine = Callable[[IncomingRecord, bool], Awaitable[RecordOutcome]]
"""Handle a record; True: its line is known to have no parked records."""
Process = Callable[[IncomingRecord], Awaitable[RecordOutcome]]
Retry = Callable[[Document], Awaitable[str]]
Count = Callable[[int], None]


def awaits_own(exc: Exception, record: IncomingRecord) -> bool:
    """Whether the fact `exc` waits for may come later in the record's own line: it is
    about the record's own key (the error names it in an `awaits` attribute, an entity
    id) and travels on the record's topic (unless the error's `on_topic` names another).
    A fact from another topic can never be in the line, so waiting for one holds it."""
    awaits = getattr(exc, "awaits", None)
    on_topic = getattr(exc, "on_topic", None)
    same_key = awaits is not None and str(awaits).encode() == (record.key or b"")
    return same_key and on_topic in (None, record.topic)


async def _parking_off(exc: Exception) -> RecordOutcome:
    raise AssertionError("parking is off") from exc


class Lines:
    """Applies decoded records in their turn, and parked ones when they are retried.
    Without a lot (the service parks nothing) only the per-key turns remain."""

    def __init__(
        self,
        lot: ParkingLot | None,
        dispatch: Dispatcher,
        dead_letters: DeadLetters,
        decode: Decode,
        spans: RecordSpans,
    ) -> None:
        self.lot = lot
        self.dispatch = dispatch
        self.dead_letters = dead_letters
        self.decode = decode
        self.spans = spans
        self.keys = KeyLocks()

    async def for_batch(self, records: Sequence[IncomingRecord], process: InLine) -> Process:
        """`process` for one batch: which of its lines have parked records is read once
        for the batch; a line that parks a record during the batch is read again."""
        if self.lot is None or not records:
            return lambda record: process(record, False)
        lines = {ParkingLot.line(r.topic, r.key) for r in records}
        clear = lines - await self.lot.lines_waiting(lines)

        async def in_batch(record: IncomingRecord) -> RecordOutcome:
            line = ParkingLot.line(record.topic, record.key)
            outcome = await process(record, line in clear)
            if outcome == PARKED:
                clear.discard(line)
            return outcome

        return in_batch

    async def apply(
        self, record: IncomingRecord, envelope: Envelope[Event], *, line_clear: bool = False
    ) -> RecordOutcome:
        """Dispatch a record in its turn. `line_clear`: its line has no parked records."""
        async with self.keys.hold(record.key):
            if self.lot is None:
                return await self.dispatch(record, envelope, _parking_off)
            return await self._in_line(record, envelope, line_clear)

    async def _in_line(
        self, record: IncomingRecord, envelope: Envelope[Event], line_clear: bool
    ) -> RecordOutcome:
        waiting = [] if line_clear else await self._lot.waiting(record.topic, record.key)
        if any(not doc["own_key"] for doc in waiting):
            return await self._park(record, "behind an earlier parked record", own_key=False)
        waiting, held = await self._retry_waiting(waiting, before_newer=True)
        if held:
            return await self._park(record, "behind an earlier record being retried", own_key=False)
        outcome = await self.dispatch(
            record,
            envelope,
            lambda exc: self._park(record, str(exc), own_key=awaits_own(exc, record)),
        )
        if waiting and outcome != PARKED:
            await self._retry_waiting(waiting)
        return outcome

    async def _retry_waiting(
        self, waiting: list[Document], *, before_newer: bool = False
    ) -> tuple[list[Document], bool]:
        """Retry a line's records that wait for their own key's fact, oldest first.
        Returns those still waiting, and whether one is leased elsewhere (then a newer
        record must wait behind it)."""
        still: list[Document] = []
        for doc in waiting:
            leased = await self._lot.lease(doc, now_or_never=True)
            if leased is None:
                if await self._lot.holds(doc):
                    return [*still, doc], True
                continue
            if await self.retry_parked(leased, postpone=not before_newer) == PARKED:
                still.append(doc)
        return still, False

    async def retry_in_turn(self, doc: Document) -> RecordOutcome:
        """`retry_parked` for the ParkingWorker: in turn with its key's other records."""
        async with self.keys.hold(str(doc["key"]).encode()):
            return await self.retry_parked(doc)

    async def retry_parked(self, doc: Document, *, postpone: bool = True) -> RecordOutcome:
        """Try a leased parked record again. Still waiting, it is postponed (or expires);
        without `postpone`, only given back."""
        record = IncomingRecord.parked(doc)
        with self.spans.consuming(record, parked=True) as span, record_context(record, parked=True):
            envelope = await self.decode(record)
            if envelope is None:
                outcome = RecordOutcome.DEAD_LETTERED
            else:
                with event_context(envelope):
                    outcome = await self.dispatch(
                        record,
                        envelope,
                        lambda exc: (
                            self._still_waiting(record, doc, exc)
                            if postpone
                            else self._given_back(doc)
                        ),
                    )
            if outcome != PARKED:
                await self._lot.release(doc)
            record_outcome(span, outcome, failed=outcome == RecordOutcome.DEAD_LETTERED)
            return outcome

    async def _park(self, record: IncomingRecord, reason: str, *, own_key: bool) -> RecordOutcome:
        await self._lot.park(record, reason, own_key=own_key)
        log.info("record parked until what it refers to arrives", reason=reason)
        return PARKED

    async def _given_back(self, doc: Document) -> RecordOutcome:
        await self._lot.give_back(doc)
        return PARKED

    async def _still_waiting(
        self, record: IncomingRecord, doc: Document, exc: Exception
    ) -> RecordOutcome:
        if self._lot.expired(doc):
            waited = ParkingExpired(f"parked {doc['attempts']} times, still: {exc}")
            log.error("parked record waited too long; sent to DLQ", error=str(exc))
            await self.dead_letters.send(record, waited, attempts=int(doc["attempts"]) + 1)
            return RecordOutcome.DEAD_LETTERED
        await self._lot.postpone(doc, str(exc))
        return PARKED

    @property
    def _lot(self) -> ParkingLot:
        assert self.lot is not None, "parking is off"
        return self.lot


IDLE_S = 5.0
"""How often a worker looks at an empty lot (records another replica parked and left)."""


class ParkingWorker:
    """Retries due parked records line by line, oldest first: one still waiting for
    another key's fact holds the rest of its line; one waiting for its own key's does
    not. While the lot is empty it looks only every `idle_s`, or sooner when this
    process parks a record."""

    def __init__(
        self, lot: ParkingLot, retry: Retry, poll_s: float, count: Count, idle_s: float = IDLE_S
    ) -> None:
        self.lot = lot
        self.retry = retry
        self.poll_s = poll_s
        self.idle_s = max(poll_s, idle_s)
        self.count = count
        self.left = 0
        """Records in the lot after the last pass."""

    async def run(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            self.lot.arrivals.clear()
            await self.run_once()
            if not self.left:
                await pause(stopping, self.lot.arrivals, self.idle_s, clear=False)
            await pause(stopping, asyncio.Event(), self.poll_s)

    async def run_once(self) -> int:
        """One pass; returns how many records left the lot."""
        released = 0
        for line in await self.lot.due_lines():
            released += await self._retry_line(await self.lot.line_of(line))
        self.left = await self.lot.count()
        self.count(self.left)
        return released

    async def _retry_line(self, docs: list[Document]) -> int:
        released = 0
        for doc in docs:
            leased = await self.lot.lease(doc)
            outcome = await self.retry(leased) if leased is not None else PARKED
            if outcome != PARKED:
                released += 1
            elif not doc["own_key"]:
                break
        return released
