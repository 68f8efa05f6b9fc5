"""Turn one Kafka record into at most one applied effect, or a DLQ record with the reason.

The processor never lets one bad record stop the partition: undecodable records go
to the DLQ at once; a handler that keeps failing is retried with exponential backoff
`max_attempts` times and then dead-lettered. An unreachable store is different: the
processor waits for it, because the record is fine. Anything else that escapes (a
fault in the chassis itself) fails the batch, which comes back; a record that fails
its batch `max_rewinds` times is set aside to the DLQ and the partition moves on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence

import structlog
from mentornet_contracts import DecodeError, Envelope, Event, Registry, decode

from mentornet_chassis.messaging.deadletters import SET_ASIDE, DeadLetters
from mentornet_chassis.messaging.dispatch import Dispatcher
from mentornet_chassis.messaging.keylocks import KeyLocks
from mentornet_chassis.messaging.parking import ParkingLot
from mentornet_chassis.messaging.records import (
    STORE_UNREACHABLE,
    Handler,
    IncomingRecord,
    OnWait,
    RetryPolicy,
)
from mentornet_chassis.messaging.waiting import Waiting, awaits_own
from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.store.mongo import Document

log = get_logger(__name__)

__all__ = [
    "STORE_UNREACHABLE",
    "Handler",
    "IncomingRecord",
    "OnWait",
    "RecordProcessor",
    "RetryPolicy",
]


class RecordProcessor:
    def __init__(
        self,
        registry: Registry,
        handlers: Mapping[type[Event], Handler],
        dead_letters: DeadLetters,
        metrics: Metrics,
        retry: RetryPolicy,
        on_emitted: Callable[[], None] = lambda: None,
        *,
        parking: ParkingLot | None = None,
        parks: Sequence[type[Exception]] = (),
        max_rewinds: int = 3,
    ) -> None:
        self.registry = registry
        self.dead_letters = dead_letters
        self.metrics = metrics
        self.max_rewinds = max_rewinds
        self.failed_batches: dict[tuple[str, int, int], int] = {}
        """How often each record made its batch fail, to set it aside at max_rewinds."""
        self.parking = parking
        self.parks = tuple(parks) if parking is not None else ()
        """Handler errors that mean "not yet": the record is parked, not retried here."""
        self.keys = KeyLocks()
        self.waiting = Waiting(parking, dead_letters) if parking is not None else None
        self.dispatch = Dispatcher(handlers, dead_letters, metrics, retry, on_emitted, self.parks)

    async def for_batch(
        self, records: Sequence[IncomingRecord]
    ) -> Callable[[IncomingRecord], Awaitable[str]]:
        """`process` for the records of one batch: which of their lines have parked
        records is read once for the batch, not once per record. A line that gets a
        parked record during the batch is read again for its later records."""
        if not self.parks or not records:
            return self.guarded(self.process)
        assert self.parking is not None
        lines = {ParkingLot.line(r.topic, r.key) for r in records}
        clear = lines - await self.parking.lines_waiting(lines)

        async def process(record: IncomingRecord) -> str:
            line = ParkingLot.line(record.topic, record.key)
            outcome = await self.process(record, line_clear=line in clear)
            if outcome == "parked":
                clear.discard(line)
            return outcome

        return self.guarded(process)

    def guarded(
        self, process: Callable[[IncomingRecord], Awaitable[str]]
    ) -> Callable[[IncomingRecord], Awaitable[str]]:
        """`process`, setting a record aside to the DLQ (reason `set_aside`) once it has
        failed its batch `max_rewinds` times, so no record rewinds its partition forever.
        An unreachable store is not counted: the batch waits for it."""

        async def run(record: IncomingRecord) -> str:
            where = (record.topic, record.partition, record.offset)
            try:
                outcome = await process(record)
            except STORE_UNREACHABLE:
                raise
            except Exception as exc:
                failed = self.failed_batches[where] = self.failed_batches.get(where, 0) + 1
                if failed < self.max_rewinds:
                    raise
                return await self._set_aside(record, exc, failed)
            self.failed_batches.pop(where, None)
            return outcome

        return run

    async def _set_aside(self, record: IncomingRecord, error: Exception, failed: int) -> str:
        log.error(
            "record keeps failing its batch; set aside to the DLQ",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            failed=failed,
            error=repr(error),
        )
        await self.dead_letters.send(record, error, attempts=failed, reason=SET_ASIDE)
        self.metrics.set_aside.labels(record.topic, str(record.partition)).inc()
        self.failed_batches.pop((record.topic, record.partition, record.offset), None)
        return SET_ASIDE

    async def process(self, record: IncomingRecord, *, line_clear: bool = False) -> str:
        """Handle a record; return the outcome name. Raises only if the DLQ write fails.
        `line_clear`: the record's line is known to have no parked records."""
        with structlog.contextvars.bound_contextvars(
            topic=record.topic, partition=record.partition, offset=record.offset
        ):
            envelope = await self._decoded(record)
            if envelope is None:
                return "dead_lettered"
            with structlog.contextvars.bound_contextvars(
                event_id=envelope.id,
                event_type=envelope.type,
                correlation_id=envelope.correlation_id,
            ):
                async with self.keys.hold(record.key):
                    if not self.parks:
                        return await self.dispatch(record, envelope, self._no_parking)
                    return await self._in_line(record, envelope, line_clear)

    async def _in_line(
        self, record: IncomingRecord, envelope: Envelope[Event], line_clear: bool
    ) -> str:
        """Dispatch keeping the record's line in order (parking.py)."""
        assert self.parking is not None
        waiting = [] if line_clear else await self.parking.waiting(record.topic, record.key)
        if any(not doc["own_key"] for doc in waiting):
            return await self._waits.park(record, "behind an earlier parked record", own_key=False)
        waiting, held = await self._retry_waiting(waiting, before_newer=True)
        if held:
            return await self._waits.park(
                record, "behind an earlier record being retried", own_key=False
            )
        outcome = await self.dispatch(
            record,
            envelope,
            lambda exc: self._waits.park(record, str(exc), own_key=awaits_own(exc, record)),
        )
        if waiting and outcome != "parked":
            await self._retry_waiting(waiting)
        return outcome

    async def _retry_waiting(
        self, waiting: list[Document], *, before_newer: bool = False
    ) -> tuple[list[Document], bool]:
        """Retry a line's records that wait for their own key's fact, oldest first.
        Returns those still waiting, and whether one is being retried elsewhere (the
        parking worker or another replica holds its lease): a newer record must then
        wait behind it rather than race it.

        They are tried before a newer record of the line (`before_newer`), since the
        fact may have come on another stream meanwhile; one still waiting is then only
        given back, neither postponed nor expired, since the newer record may be that
        very fact. They are tried again after the newer record applies."""
        assert self.parking is not None
        still: list[Document] = []
        for doc in waiting:
            leased = await self.parking.lease(doc, now_or_never=True)
            if leased is None:
                if await self.parking.holds(doc):
                    return [*still, doc], True
                continue
            if await self.retry_parked(leased, postpone=not before_newer) == "parked":
                still.append(doc)
        return still, False

    @property
    def _waits(self) -> Waiting:
        assert self.waiting is not None, "parking is off"
        return self.waiting

    async def _no_parking(self, exc: Exception) -> str:
        raise AssertionError("parking is off") from exc

    async def retry_in_turn(self, doc: Document) -> str:
        """`retry_parked` for the parking worker: in turn with the records of its key
        that the consumer is handling (keylocks.py)."""
        async with self.keys.hold(str(doc["key"]).encode()):
            return await self.retry_parked(doc)

    async def retry_parked(self, doc: Document, *, postpone: bool = True) -> str:
        """Try a parked record again: applied or dead-lettered records leave the lot;
        one still waiting is postponed, or dead-lettered once it waited too long
        (without `postpone`: only given back, as it was)."""
        record = IncomingRecord.parked(doc)
        with structlog.contextvars.bound_contextvars(
            topic=record.topic, partition=record.partition, offset=record.offset, parked=True
        ):
            envelope = await self._decoded(record)
            if envelope is None:
                outcome = "dead_lettered"
            else:
                with structlog.contextvars.bound_contextvars(
                    event_id=envelope.id,
                    event_type=envelope.type,
                    correlation_id=envelope.correlation_id,
                ):
                    outcome = await self.dispatch(
                        record,
                        envelope,
                        lambda exc: (
                            self._waits.still_waiting(record, doc, exc)
                            if postpone
                            else self._waits.given_back(doc)
                        ),
                    )
            if outcome != "parked" and self.parking is not None:
                await self.parking.release(doc)
            return outcome

    async def _decoded(self, record: IncomingRecord) -> Envelope[Event] | None:
        try:
            return decode(record.value, record.headers, self.registry, topic=record.topic)
        except DecodeError as exc:
            log.warning("undecodable record sent to DLQ", reason=exc.reason)
            await self.dead_letters.send(record, exc, attempts=1)
            return None
