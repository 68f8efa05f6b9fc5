"""What the outbox relay remembers of the aggregates it could not publish.

One document per failing aggregate (in the service's `outbox_failures` collection):
the entry at the head of its outbox that failed, why, how often, and when to try
again. The relay keeps each aggregate's order, so the entries behind a failing one
wait, while every other aggregate's entries keep flowing. Past `max_attempts` the
entry is *poisoned*: the relay stops trying it until an operator retries or discards
it (`mentornet outbox`), and nothing is dropped meanwhile.

A broker outage is not an entry's fault: it stops the relay's round instead, counts
against no entry, and is tried again on the next round.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from aiokafka.errors import (
    InvalidTopicError,
    KafkaConnectionError,
    KafkaTimeoutError,
    MessageSizeTooLargeError,
    NodeNotReadyError,
    NotEnoughReplicasError,
    NotLeaderForPartitionError,
    RecordTooLargeError,
    RequestTimedOutError,
    TopicAuthorizationFailedError,
    UnknownTopicOrPartitionError,
)
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from mentornet_chassis.store.aggregate_docs import EventTooLarge
from mentornet_chassis.store.mongo import Document

FAILURES = "outbox_failures"
MAX_ERROR_CHARS = 1000


class FailureReason(StrEnum):
    TOO_LARGE = "too_large"
    TOPIC_REFUSED = "topic_refused"
    SERIALIZATION = "serialization"
    BROKER_UNAVAILABLE = "broker_unavailable"
    OTHER = "other"


class ForeignTopic(PermissionError):
    """A record for a topic the service may not write: not among its ServiceSpec's
    topics, from which the deployed ACLs are generated, so Kafka would refuse it too."""


_BY_ERROR: tuple[tuple[tuple[type[BaseException], ...], FailureReason], ...] = (
    ((MessageSizeTooLargeError, RecordTooLargeError, EventTooLarge), FailureReason.TOO_LARGE),
    (
        (
            ForeignTopic,
            TopicAuthorizationFailedError,
            UnknownTopicOrPartitionError,
            InvalidTopicError,
        ),
        FailureReason.TOPIC_REFUSED,
    ),
    ((KeyError, TypeError, UnicodeError, ValueError), FailureReason.SERIALIZATION),
    (
        (
            KafkaConnectionError,
            KafkaTimeoutError,
            NodeNotReadyError,
            NotEnoughReplicasError,
            NotLeaderForPartitionError,
            RequestTimedOutError,
            ConnectionError,
            TimeoutError,
        ),
        FailureReason.BROKER_UNAVAILABLE,
    ),
)


def classify(error: BaseException) -> FailureReason:
    for kinds, reason in _BY_ERROR:
        if isinstance(error, kinds):
            return reason
    return FailureReason.OTHER


@dataclass(frozen=True)
class RelayPolicy:
    max_attempts: int = 8
    first_backoff_s: float = 1.0
    max_backoff_s: float = 60.0

    def backoff(self, attempts: int) -> float:
        return float(min(self.max_backoff_s, self.first_backoff_s * 2 ** max(0, attempts - 1)))


def failure_id(collection: str, aggregate_id: str) -> str:
    return f"{collection}/{aggregate_id}"


@dataclass(frozen=True)
class Failure:
    """One failing aggregate, as the relay last recorded it."""

    collection: str
    aggregate_id: str
    entry_id: str
    event_type: str
    reason: str
    error: str
    attempts: int
    next_epoch: float
    poisoned: bool

    @classmethod
    def of(cls, doc: Document) -> Failure:
        return cls(
            collection=str(doc["collection"]),
            aggregate_id=str(doc["aggregate_id"]),
            entry_id=str(doc["entry_id"]),
            event_type=str(doc.get("event_type", "")),
            reason=str(doc["reason"]),
            error=str(doc.get("error", "")),
            attempts=int(doc["attempts"]),
            next_epoch=float(doc["next_epoch"]),
            poisoned=bool(doc["poisoned"]),
        )

    def holds(self, head_entry_id: str, now: float) -> bool:
        """Whether the aggregate must wait: its head is the entry that failed, and it is
        poisoned or not due again yet."""
        return head_entry_id == self.entry_id and (self.poisoned or now < self.next_epoch)


class FailureLog:
    """The failing aggregates of one service, in MongoDB, cached by the relay."""

    def __init__(self, collection: AsyncCollection[Document], policy: RelayPolicy) -> None:
        self.collection = collection
        self.policy = policy
        self.known: dict[str, Failure] = {}

    async def refresh(self) -> dict[str, Failure]:
        """Read them all again (an operator may have retried or discarded one)."""
        self.known = {str(d["_id"]): Failure.of(d) async for d in self.collection.find({})}
        return self.known

    def get(self, collection: str, aggregate_id: str) -> Failure | None:
        return self.known.get(failure_id(collection, aggregate_id))

    async def record(
        self, collection: str, aggregate_id: str, entry: Document, error: BaseException
    ) -> Failure:
        """Count one more failed try of `entry` (a new entry starts again from one)."""
        key = failure_id(collection, aggregate_id)
        previous = self.known.get(key)
        attempts = previous.attempts + 1 if previous and previous.entry_id == entry["id"] else 1
        now = time.time()
        doc = await self.collection.find_one_and_update(
            {"_id": key},
            {
                "$set": {
                    "collection": collection,
                    "aggregate_id": aggregate_id,
                    "entry_id": entry["id"],
                    "event_type": entry.get("type", ""),
                    "topic": entry.get("topic", ""),
                    "reason": classify(error).value,
                    "error": f"{type(error).__name__}: {error}"[:MAX_ERROR_CHARS],
                    "attempts": attempts,
                    "next_epoch": now + self.policy.backoff(attempts),
                    "poisoned": attempts >= self.policy.max_attempts,
                    "failed_at": datetime.now(UTC),
                },
                "$setOnInsert": {"first_failed_at": datetime.now(UTC)},
            },
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None
        failure = self.known[key] = Failure.of(doc)
        return failure

    async def clear(self, collection: str, aggregate_id: str) -> None:
        key = failure_id(collection, aggregate_id)
        if self.known.pop(key, None) is not None:
            await self.collection.delete_one({"_id": key})

    def poisoned(self) -> int:
        return sum(1 for f in self.known.values() if f.poisoned)
