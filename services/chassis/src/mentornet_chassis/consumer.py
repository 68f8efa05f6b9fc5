"""Turn one Kafka record into at most one applied effect, or a DLQ record with the reason.

The processor never lets one bad record stop the partition: undecodable records go
to the DLQ at once; a handler that keeps failing is retried with exponential backoff
`max_attempts` times and then dead-lettered. An unreachable store is different: the
processor waits for it, because the record is fine. Only a failure to write the DLQ
record itself propagates, so the offset is not committed and the record comes back.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from mentornet_contracts import DecodeError, Envelope, Event, Registry, decode
from pymongo.errors import ConnectionFailure

from .aggregates import Applied
from .deadletters import DeadLetters
from .logging import get_logger
from .metrics import Metrics

log = get_logger(__name__)

Handler = Callable[[Envelope[Any]], Awaitable[Applied | None]]

STORE_UNREACHABLE = (ConnectionFailure,)
"""An outage is not a bad message: wait for the store (the offset stays uncommitted and
/readyz says not ready) instead of spending the record's attempts and dead-lettering it."""


@dataclass(frozen=True)
class IncomingRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]

    @classmethod
    def of(cls, raw: Any) -> IncomingRecord:
        return cls(
            topic=raw.topic,
            partition=raw.partition,
            offset=raw.offset,
            key=raw.key,
            value=raw.value,
            headers=tuple(raw.headers or ()),
        )


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_s: float = 0.2
    backoff_max_s: float = 10.0

    def delay(self, attempt: int) -> float:
        return float(min(self.backoff_max_s, self.backoff_s * 2 ** (attempt - 1)))


class RecordProcessor:
    def __init__(
        self,
        registry: Registry,
        handlers: Mapping[type[Event], Handler],
        dead_letters: DeadLetters,
        metrics: Metrics,
        retry: RetryPolicy,
        on_emitted: Callable[[], None] = lambda: None,
    ) -> None:
        self.registry = registry
        self.handlers = {cls.event_type: handler for cls, handler in handlers.items()}
        self.dead_letters = dead_letters
        self.metrics = metrics
        self.retry = retry
        self.on_emitted = on_emitted

    async def process(self, record: IncomingRecord) -> str:
        """Handle a record; return the outcome name. Raises only if the DLQ write fails."""
        with structlog.contextvars.bound_contextvars(
            topic=record.topic, partition=record.partition, offset=record.offset
        ):
            try:
                envelope = decode(record.value, record.headers, self.registry, topic=record.topic)
            except DecodeError as exc:
                log.warning("undecodable record sent to DLQ", reason=exc.reason)
                await self.dead_letters.send(record, exc, attempts=1)
                return "dead_lettered"
            with structlog.contextvars.bound_contextvars(
                event_id=envelope.id,
                event_type=envelope.type,
                correlation_id=envelope.correlation_id,
            ):
                return await self._dispatch(record, envelope)

    async def _dispatch(self, record: IncomingRecord, envelope: Envelope[Event]) -> str:
        handler = self.handlers.get(envelope.type)
        if handler is None:
            self.metrics.events_consumed.labels(envelope.type, "ignored").inc()
            return "ignored"
        attempt, outage = 0, 0
        while True:
            started = time.perf_counter()
            try:
                applied = await handler(envelope)
            except STORE_UNREACHABLE as exc:
                outage += 1
                log.warning(
                    "store unreachable; waiting, not dead-lettering", waited=outage, error=repr(exc)
                )
                await asyncio.sleep(self.retry.delay(outage))
                continue
            except Exception as exc:
                attempt += 1
                self.metrics.events_failed.labels(envelope.type).inc()
                if attempt >= self.retry.max_attempts:
                    log.error(
                        "handler failed for good; sent to DLQ", attempts=attempt, error=repr(exc)
                    )
                    await self.dead_letters.send(record, exc, attempts=attempt)
                    return "dead_lettered"
                log.warning("handler failed; retrying", attempt=attempt, error=repr(exc))
                await asyncio.sleep(self.retry.delay(attempt))
                continue
            return self._done(envelope, applied, time.perf_counter() - started)

    def _done(self, envelope: Envelope[Event], applied: Applied | None, seconds: float) -> str:
        self.metrics.handler_seconds.labels(envelope.type).observe(seconds)
        outcome = applied.outcome.value if applied is not None else "applied"
        self.metrics.events_consumed.labels(envelope.type, outcome).inc()
        if applied is not None and applied.emitted:
            self.on_emitted()
        log.info("event handled", outcome=outcome)
        return outcome
