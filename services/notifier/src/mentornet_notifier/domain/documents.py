"""The notifier's typed documents: read models (people, programs, matches), each
person's preferences and the delivery ledger. Plain dicts as the chassis stores them."""

from __future__ import annotations

from enum import StrEnum
from typing import NotRequired, TypedDict


class Person(TypedDict):
    """One enrolment (a participant id), or the tombstone left by its erasure."""

    participant_id: str
    person_id: NotRequired[str]
    program_id: NotRequired[str]
    role: NotRequired[str]
    time_zone: NotRequired[str]
    status: NotRequired[str]
    """`active` or `withdrawn`."""
    erased: NotRequired[bool]


class Program(TypedDict):
    program_id: str
    name: str


class Match(TypedDict):
    match_id: str
    mentor_id: str
    mentee_id: str
    program_id: str


class QuietHours(TypedDict):
    start: str
    """Local "HH:MM" when quiet begins."""
    end: str
    """Local "HH:MM" when it ends (earlier than start: it runs over midnight)."""


class Preferences(TypedDict):
    participant_id: str
    channels: list[str]
    quiet_hours: QuietHours | None
    unsubscribed: list[str]
    """Kinds the person does not want."""
    digest_at: NotRequired[str | None]
    """Local "HH:MM" of their daily digest (None: every message as it comes)."""


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    DEAD = "dead"
    SKIPPED = "skipped"
    """Not sent on purpose: the person unsubscribed from its kind or turned the channel off."""
    HELD = "held"
    """Waiting for the person's daily digest (domain/digest.py)."""


class Delivery(TypedDict):
    delivery_id: str
    source_event_id: str
    participant_id: str
    channel: str
    kind: str
    status: str
    program_id: str | None
    match_id: str | None
    case_id: str | None
    send_at: float
    """Epoch seconds when it may go (after quiet hours)."""
    due_epoch: float | None
    """When the worker should look at it (chassis timers): send_at, or a lease's end."""
    attempts: int
    subject: str | None
    body: str | None
    ics: str | None
    """Rendered once, when the ledger entry is written; cleared once delivered."""
    reason: str | None
    lease_until: NotRequired[float | None]
    unsubscribe_url: NotRequired[str | None]
    """The recipient's link to stop this kind (also in the e-mail's footer); cleared
    with the words."""
    digest_id: NotRequired[str | None]
    """The digest it waits for or went out in."""
