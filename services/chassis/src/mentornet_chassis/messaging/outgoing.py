"""What the relay sends and what it reports: a record as it goes to the broker (from an
outbox entry), and the state of the outbox its last full scan found."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from mentornet_chassis.store.aggregate_docs import entry_value
from mentornet_chassis.store.mongo import Document


@dataclass(frozen=True)
class OutgoingRecord:
    topic: str
    key: bytes
    value: bytes
    headers: dict[str, str]
    event_type: str


Publish = Callable[[OutgoingRecord], Awaitable[None]]


def record_of(entry: Document) -> OutgoingRecord:
    return OutgoingRecord(
        topic=entry["topic"],
        key=entry["key"].encode(),
        value=entry_value(entry),
        headers={name: text for name, text in entry["headers"]},
        event_type=entry["type"],
    )


@dataclass(frozen=True)
class RelayStatus:
    """What the last full scan found: entries not yet acknowledged, the oldest one's
    write time, aggregates waiting to be tried again, and poisoned ones."""

    pending: int = 0
    oldest_unsent: datetime | None = None
    failing: int = 0
    poisoned: int = 0

    def oldest_age_s(self, now: datetime | None = None) -> float:
        if self.oldest_unsent is None:
            return 0.0
        return max(0.0, ((now or datetime.now(UTC)) - self.oldest_unsent).total_seconds())


def written_at(entry: Document) -> datetime:
    moment = entry.get("created_at")
    if not isinstance(moment, datetime):
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
