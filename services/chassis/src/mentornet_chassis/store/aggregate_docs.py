"""What an aggregate document holds and what a write decides: the value types of
aggregates.py, and the outbox entry an event becomes."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from mentornet_contracts import Envelope, Event, Registry, encode
from mentornet_contracts.budget import EVENT_BUDGET_BYTES, record_bytes

from mentornet_chassis.store.mongo import Document
from mentornet_chassis.tracing.propagation import current_trace_headers

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
    """What a handler decided: the new state (None: leave it) and the events to emit;
    `records`: outbox entries made already (`raw_entry`), such as dead letters."""

    state: State | None
    events: Sequence[Envelope[Event]] = ()
    records: Sequence[Document] = ()


@dataclass(frozen=True)
class Loaded:
    state: State | None
    version: int
    inbox: tuple[str, ...] = ()
    outbox: tuple[Document, ...] = ()


@dataclass(frozen=True)
class Written(Loaded):
    """A document as this process just wrote it; `added`: the outbox entries the write
    added (none when the relay removed sent ones)."""

    added: tuple[Document, ...] = ()


@dataclass(frozen=True)
class Applied:
    outcome: Outcome
    version: int
    state: State | None
    emitted: tuple[Envelope[Event], ...] = field(default=())


class VersionConflict(Exception):
    """Someone else wrote the aggregate between our read and our write."""


class EventTooLarge(ValueError):
    """An event that would not fit in a Kafka record: refused before anything is
    written (an HTTP request gets a 422), so it can never block the relay."""

    def __init__(self, event_type: str, size: int, limit: int) -> None:
        super().__init__(
            f"the {event_type} event would be {size:,} bytes as a record, over the "
            f"{limit:,}-byte limit"
        )
        self.event_type = event_type
        self.size = size
        self.limit = limit


def aggregate_document(
    version: int, state: State | None, outbox: Sequence[Document], inbox: Sequence[str]
) -> Document:
    """An aggregate's document as every write stores it (without its `_id`)."""
    return {
        "version": version,
        "state": state,
        "outbox": list(outbox),
        "pending": bool(outbox),
        "inbox": list(inbox)[-INBOX_WINDOW:],
        "updated_at": datetime.now(UTC),
    }


def outbox_entry(
    envelope: Envelope[Event], registry: Registry, max_bytes: int = EVENT_BUDGET_BYTES
) -> Document:
    """The record an event becomes, naming the current span as its trace parent;
    EventTooLarge if it is over `max_bytes`."""
    record = encode(envelope, registry)
    headers = [*record.headers, *((n, v.encode()) for n, v in current_trace_headers())]
    size = record_bytes(record.key, record.value, headers)
    if size > max_bytes:
        raise EventTooLarge(envelope.type, size, max_bytes)
    return {
        "id": envelope.id,
        "topic": record.topic,
        "key": record.key.decode(),
        "value": record.value.decode(),
        "headers": [[name, value.decode()] for name, value in headers],
        "type": envelope.type,
        "created_at": datetime.now(UTC),
    }


BASE64 = "base64"


def raw_entry(
    entry_id: str, topic: str, key: bytes, value: bytes, headers: dict[str, str], kind: str
) -> Document:
    """An outbox entry for a record that is not an event (a dead letter): its value is
    kept exactly, whatever its bytes, as base64 text (the embedded store cannot rewrite a
    document holding binary values: docs/embedded-stack.md)."""
    return {
        "id": entry_id,
        "topic": topic,
        "key": key.decode("utf-8", "replace"),
        "value": base64.b64encode(value).decode(),
        "encoding": BASE64,
        "headers": [[name, text] for name, text in headers.items()],
        "type": kind,
        "created_at": datetime.now(UTC),
    }


def entry_value(entry: Document) -> bytes:
    """The record value an outbox entry holds."""
    value = entry["value"]
    if entry.get("encoding") == BASE64:
        return base64.b64decode(value)
    return value if isinstance(value, bytes) else str(value).encode()


def loaded_from(doc: Document) -> Loaded:
    """An aggregate document as read from the store."""
    return Loaded(
        state=doc.get("state"),
        version=int(doc["version"]),
        inbox=tuple(doc.get("inbox", ())),
        outbox=tuple(doc.get("outbox", ())),
    )
