"""What the consumer works with: a Kafka record as it came (or as it was parked), the
handler type, what became of a record, the retry policy, and which errors mean the
store is away."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import structlog
from mentornet_contracts import Envelope
from pymongo.errors import ConnectionFailure

from mentornet_chassis.store.aggregates import Applied
from mentornet_chassis.store.mongo import Document


class RecordOutcome(StrEnum):
    """What became of a consumed record; the value is the `outcome` label of the
    events_consumed metric and of the "event handled" log line."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    UNCHANGED = "unchanged"
    IGNORED = "ignored"
    """No handler for its type."""
    PARKED = "parked"
    """Waiting for what it refers to (ordering.py)."""
    DEAD_LETTERED = "dead_lettered"
    SET_ASIDE = "set_aside"
    """Dead-lettered after failing its batch `max_rewinds` times."""


Handler = Callable[[Envelope[Any]], Awaitable[Applied | None]]
OnWait = Callable[[Exception], Awaitable[RecordOutcome]]
"""What becomes of a record whose handler says it must wait (ordering.py)."""

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
            headers=tuple((name, value or b"") for name, value in raw.headers or ()),
        )

    @classmethod
    def parked(cls, doc: Document) -> IncomingRecord:
        return cls(
            topic=doc["topic"],
            partition=int(doc["partition"]),
            offset=int(doc["offset"]),
            key=str(doc["key"]).encode(),
            value=str(doc["value"]).encode(),
            headers=tuple((str(n), str(v).encode()) for n, v in doc["headers"]),
        )


def record_context(
    record: IncomingRecord, **extra: object
) -> contextlib.AbstractContextManager[None]:
    """Log lines while handling `record` name where it came from."""
    return structlog.contextvars.bound_contextvars(
        topic=record.topic, partition=record.partition, offset=record.offset, **extra
    )


def event_context(envelope: Envelope[Any]) -> contextlib.AbstractContextManager[None]:
    """Log lines while handling an event name it and its correlation id."""
    return structlog.contextvars.bound_contextvars(
        event_id=envelope.id, event_type=envelope.type, correlation_id=envelope.correlation_id
    )


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_s: float = 0.2
    backoff_max_s: float = 10.0

    def delay(self, attempt: int) -> float:
        return float(min(self.backoff_max_s, self.backoff_s * 2 ** (attempt - 1)))
