"""Turn one Kafka record into at most one applied effect, or a DLQ record with the reason.

The processor never lets one bad record stop the partition: undecodable records go
to the DLQ at once; a handler that keeps failing is retried with exponential backoff
`max_attempts` times and then dead-lettered (dispatch.py). An unreachable store is
different: the processor waits for it, because the record is fine. Anything else that
escapes (a fault in the chassis itself) fails the batch, which comes back; a record
that fails its batch `max_rewinds` times is set aside to the DLQ and the partition
moves on. When a decoded record applies, and what becomes of one that must wait, is
decided in ordering.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVar

from mentornet_contracts import DecodeError, Envelope, Event, Registry, decode
from opentelemetry.trace import NoOpTracer

from mentornet_chassis.messaging.deadletters import SET_ASIDE, DeadLetters
from mentornet_chassis.messaging.dispatch import Dispatcher
from mentornet_chassis.messaging.ordering import Lines, Process
from mentornet_chassis.messaging.parking import ParkingLot
from mentornet_chassis.messaging.records import (
    STORE_UNREACHABLE,
    Handler,
    IncomingRecord,
    OnWait,
    RecordOutcome,
    RetryPolicy,
    event_context,
    record_context,
)
from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.store.mongo import Document
from mentornet_chassis.tracing.messaging import RecordSpans, record_outcome

log = get_logger(__name__)

Outcome = TypeVar("Outcome", bound=str)

__all__ = [
    "STORE_UNREACHABLE",
    "Handler",
    "IncomingRecord",
    "OnWait",
    "RecordOutcome",
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
        spans: RecordSpans | None = None,
    ) -> None:
        self.registry = registry
        self.spans = spans or RecordSpans(NoOpTracer())
        self.dead_letters = dead_letters
        self.metrics = metrics
        self.max_rewinds = max_rewinds
        self.failed_batches: dict[tuple[str, int, int], int] = {}
        """How often each record made its batch fail, to set it aside at max_rewinds."""
        parks = tuple(parks) if parking is not None else ()
        self.dispatch = Dispatcher(handlers, dead_letters, metrics, retry, on_emitted, parks)
        self.lines = Lines(
            parking if parks else None, self.dispatch, dead_letters, self._decoded, self.spans
        )

    async def for_batch(self, records: Sequence[IncomingRecord]) -> Process:
        """`process` for the records of one batch (Lines.for_batch), guarded."""
        return self.guarded(await self.lines.for_batch(records, self.process))

    def guarded(
        self, process: Callable[[IncomingRecord], Awaitable[Outcome]]
    ) -> Callable[[IncomingRecord], Awaitable[Outcome | RecordOutcome]]:
        """`process`, setting a record aside to the DLQ (reason `set_aside`) once it has
        failed its batch `max_rewinds` times, so no record rewinds its partition forever.
        An unreachable store is not counted: the batch waits for it."""

        async def run(record: IncomingRecord) -> Outcome | RecordOutcome:
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

    async def _set_aside(
        self, record: IncomingRecord, error: Exception, failed: int
    ) -> RecordOutcome:
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
        return RecordOutcome.SET_ASIDE

    async def process(self, record: IncomingRecord, line_clear: bool = False) -> RecordOutcome:
        """Handle a record; return its outcome. Raises only if the DLQ write fails.
        `line_clear`: the record's line is known to have no parked records."""
        with self.spans.consuming(record) as span, record_context(record):
            envelope = await self._decoded(record)
            if envelope is None:
                outcome = RecordOutcome.DEAD_LETTERED
            else:
                with event_context(envelope):
                    outcome = await self.lines.apply(record, envelope, line_clear=line_clear)
            record_outcome(span, outcome, failed=outcome == RecordOutcome.DEAD_LETTERED)
            return outcome

    async def retry_in_turn(self, doc: Document) -> RecordOutcome:
        """Retry a parked record for the ParkingWorker (Lines.retry_in_turn)."""
        return await self.lines.retry_in_turn(doc)

    async def _decoded(self, record: IncomingRecord) -> Envelope[Event] | None:
        try:
            return decode(record.value, record.headers, self.registry, topic=record.topic)
        except DecodeError as exc:
            log.warning("undecodable record sent to DLQ", reason=exc.reason)
            await self.dead_letters.send(record, exc, attempts=1)
            return None
