"""Apply one decoded record with its handler: retried with backoff, dead-lettered
when it keeps failing, waited on (not dead-lettered) while the store is unreachable,
and handed to `on_wait` when the handler says what it refers to has not arrived
(ordering.py decides what becomes of it)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence

from mentornet_contracts import Envelope, Event

from mentornet_chassis.messaging.deadletters import DeadLetters
from mentornet_chassis.messaging.records import (
    STORE_UNREACHABLE,
    Handler,
    IncomingRecord,
    OnWait,
    RecordOutcome,
    RetryPolicy,
)
from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.store.aggregates import Applied

log = get_logger(__name__)


class Dispatcher:
    def __init__(
        self,
        handlers: Mapping[type[Event], Handler],
        dead_letters: DeadLetters,
        metrics: Metrics,
        retry: RetryPolicy,
        on_emitted: Callable[[], None],
        parks: Sequence[type[Exception]],
    ) -> None:
        self.handlers = {cls.event_type: handler for cls, handler in handlers.items()}
        self.dead_letters = dead_letters
        self.metrics = metrics
        self.retry = retry
        self.on_emitted = on_emitted
        self.parks = tuple(parks)

    async def __call__(
        self, record: IncomingRecord, envelope: Envelope[Event], on_wait: OnWait
    ) -> RecordOutcome:
        handler = self.handlers.get(envelope.type)
        if handler is None:
            self.metrics.events_consumed.labels(envelope.type, RecordOutcome.IGNORED).inc()
            return RecordOutcome.IGNORED
        attempt, outage = 0, 0
        while True:
            started = time.perf_counter()
            try:
                applied = await handler(envelope)
            except self.parks as exc:
                outcome = await on_wait(exc)
                self.metrics.events_consumed.labels(envelope.type, outcome).inc()
                return outcome
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
                    return RecordOutcome.DEAD_LETTERED
                log.warning("handler failed; retrying", attempt=attempt, error=repr(exc))
                await asyncio.sleep(self.retry.delay(attempt))
                continue
            return self._done(envelope, applied, time.perf_counter() - started)

    def _done(
        self, envelope: Envelope[Event], applied: Applied | None, seconds: float
    ) -> RecordOutcome:
        self.metrics.handler_seconds.labels(envelope.type).observe(seconds)
        outcome = RecordOutcome(applied.outcome) if applied is not None else RecordOutcome.APPLIED
        self.metrics.events_consumed.labels(envelope.type, outcome).inc()
        if applied is not None and applied.emitted:
            self.on_emitted()
        log.info("event handled", outcome=outcome)
        return outcome
