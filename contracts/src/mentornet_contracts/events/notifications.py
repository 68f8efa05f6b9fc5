"""Events on mentornet.notifications, keyed by the recipient's participant id, published by
the notifier: what it told a person, and what it could not. A delivery names the fact it
came from (`source_event_id`), its kind and its channel, never the address or the text:
contact details stay in intake, and a message's words are made from the fact."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from ..event import Event
from .common import Id

PARTICIPANT_ID = Field(description="The recipient (the record key).", examples=["p-7f3a"])
DELIVERY_ID = Field(
    description="The delivery: one per source event, recipient and channel.",
    examples=["nd-3f0c9a1e"],
)
SOURCE_EVENT_ID = Field(
    description="Id of the event the message is about.",
    examples=["0b9b7c1e-5d1f-4f6e-9a55-2f6c3c1d8e10"],
)
MAX_REASON = 500


class NotificationKind(StrEnum):
    """What a message is about; a person can unsubscribe from each kind."""

    SESSION_BOOKED = "session_booked"
    SESSION_RESCHEDULED = "session_rescheduled"
    SESSION_CANCELLED = "session_cancelled"
    SESSION_REMINDER = "session_reminder"
    FEEDBACK_REQUESTED = "feedback_requested"
    FEEDBACK_REMINDER = "feedback_reminder"
    MATCH_PROPOSED = "match_proposed"
    STALL_NUDGE = "stall_nudge"
    """A playbook's nudge step: both people of a match whose case asks for a nudge."""
    ESCALATION_ASSIGNED = "escalation_assigned"
    """A case's owner (a coordinator) is told it is theirs."""
    MENTOR_INVITATION = "mentor_invitation"


class Channel(StrEnum):
    EMAIL = "email"
    """SMTP, to the address intake holds."""
    WEBHOOK = "webhook"
    """A JSON POST to the deployment's webhook (a chat bridge: Slack, Teams...)."""


class _NotificationEvent(Event):
    key_field: ClassVar[str] = "participant_id"

    participant_id: Id = PARTICIPANT_ID
    delivery_id: Id = DELIVERY_ID
    source_event_id: Id = SOURCE_EVENT_ID
    kind: NotificationKind = Field(description="What it is about.", examples=["session_reminder"])
    channel: Channel = Field(description="How it went out.", examples=["email"])
    program_id: Id | None = Field(
        default=None, description="The program, if any.", examples=["prog-eng-2027"]
    )
    match_id: Id | None = Field(default=None, description="The match, if any.", examples=["m-51c0"])
    case_id: Id | None = Field(
        default=None,
        description="The escalation case a nudge acted for, if any.",
        examples=["esc-7d20"],
    )


class NotificationDelivered(_NotificationEvent):
    """The channel accepted the message (the SMTP relay or the webhook answered 2xx)."""

    event_type: ClassVar[str] = "mentornet.notification.delivered.v1"
    attempts: int = Field(ge=1, le=100, description="Tries it took.", examples=[1])
    digest_id: Id | None = Field(
        default=None,
        description="The daily digest it went out in (none: sent on its own).",
        examples=["dg-5b1e0c2a9f3d4e6b8a7c1d2e3f4a5b6c"],
    )


class NotificationDeadLettered(_NotificationEvent):
    """The message could not be delivered and will not be retried: the channel refused it
    (a 4xx, a rejected address), it failed every retry, or its template did not render."""

    event_type: ClassVar[str] = "mentornet.notification.dead_lettered.v1"
    attempts: int = Field(ge=0, le=100, description="Tries made.", examples=[6])
    reason: str = Field(
        max_length=MAX_REASON,
        description="Why, as the channel or template said.",
        examples=["webhook answered 410 Gone"],
    )


EVENTS = (NotificationDelivered, NotificationDeadLettered)
