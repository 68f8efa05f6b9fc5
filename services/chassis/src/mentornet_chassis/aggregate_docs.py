"""What an aggregate document holds and what a write decides: the value types of
aggregates.py, and the outbox entry an event becomes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from mentornet_contracts import Envelope, Event, Registry, encode

from .mongo import Document

INBOX_WINDOW = 1000
"""How many handled event ids each aggregate remembers. A duplicate older than this
many later events of the same aggregate would be applied again; Kafka redelivery and
relay retries are far more recent than that."""

MAX_CONFLICT_RETRIES = 20

State = dict[str, Any]


class Outcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Decision:
    """What a handler decided: the new state (None: leave it) and the events to emit."""

    state: State | None
    events: Sequence[Envelope[Event]] = ()


@dataclass(frozen=True)
class Loaded:
    state: State | None
    version: int
    inbox: tuple[str, ...] = ()
    outbox: tuple[Document, ...] = ()


@dataclass(frozen=True)
class Applied:
    outcome: Outcome
    version: int
    state: State | None
    emitted: tuple[Envelope[Event], ...] = field(default=())


class VersionConflict(Exception):
    """Someone else wrote the aggregate between our read and our write."""


def outbox_entry(envelope: Envelope[Event], registry: Registry) -> Document:
    record = encode(envelope, registry)
    return {
        "id": envelope.id,
        "topic": record.topic,
        "key": record.key.decode(),
        "value": record.value.decode(),
        "headers": [[name, value.decode()] for name, value in record.headers],
        "type": envelope.type,
        "created_at": datetime.now(UTC),
    }


def loaded_from(doc: Document) -> Loaded:
    """An aggregate document as read from the store."""
    return Loaded(
        state=doc.get("state"),
        version=int(doc["version"]),
        inbox=tuple(doc.get("inbox", ())),
        outbox=tuple(doc.get("outbox", ())),
    )
