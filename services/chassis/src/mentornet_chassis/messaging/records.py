"""What the consumer works with: a Kafka record as it came (or as it was parked), the
handler type, the retry policy, and which errors mean the store is away."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from mentornet_contracts import Envelope
from pymongo.errors import ConnectionFailure

from mentornet_chassis.store.aggregates import Applied
from mentornet_chassis.store.mongo import Document

Handler = Callable[[Envelope[Any]], Awaitable[Applied | None]]
OnWait = Callable[[Exception], Awaitable[str]]

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


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_s: float = 0.2
    backoff_max_s: float = 10.0

    def delay(self, attempt: int) -> float:
        return float(min(self.backoff_max_s, self.backoff_s * 2 ** (attempt - 1)))
