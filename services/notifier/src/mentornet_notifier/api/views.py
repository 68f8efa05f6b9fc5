"""The notifier's bodies and answers (bounded: every string and list has a maximum)."""

from __future__ import annotations

from mentornet_contracts.events.notifications import Channel, NotificationKind
from pydantic import BaseModel, ConfigDict, Field

from ..domain.documents import Delivery, Preferences, QuietHours

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
MAX_DEAD = 500


class QuietHoursBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: str = Field(pattern=HHMM, max_length=5, description="Local start, HH:MM.")
    end: str = Field(
        pattern=HHMM, max_length=5, description="Local end, HH:MM (before start: over midnight)."
    )


class PreferencesBody(BaseModel):
    """A person's preferences, replacing the old ones."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "channels": ["email", "webhook"],
                    "quiet_hours": {"start": "22:00", "end": "07:00"},
                    "unsubscribed": ["feedback_reminder"],
                    "digest_at": "08:00",
                }
            ]
        },
    )

    channels: list[Channel] = Field(
        default=[Channel.EMAIL], max_length=len(Channel), description="Channels to use."
    )
    quiet_hours: QuietHoursBody | None = Field(
        default=None, description="When to hold messages, in the person's own time zone."
    )
    unsubscribed: list[NotificationKind] = Field(
        default=[], max_length=len(NotificationKind), description="Kinds not to send."
    )
    digest_at: str | None = Field(
        default=None,
        pattern=HHMM,
        max_length=5,
        examples=["08:00"],
        description="Local HH:MM of a daily digest e-mail gathering the messages that can"
        " wait (feedback requests and reminders, match proposals, nudges, invitations);"
        " none: every message as it comes. Sessions, reminders and escalations never wait.",
    )

    def quiet(self) -> QuietHours | None:
        q = self.quiet_hours
        return QuietHours(start=q.start, end=q.end) if q is not None else None


class PreferencesView(BaseModel):
    participant_id: str
    channels: list[Channel]
    quiet_hours: QuietHoursBody | None
    unsubscribed: list[NotificationKind]
    digest_at: str | None

    @classmethod
    def of(cls, prefs: Preferences) -> PreferencesView:
        q = prefs["quiet_hours"]
        return cls(
            participant_id=prefs["participant_id"],
            channels=[Channel(c) for c in prefs["channels"]],
            quiet_hours=QuietHoursBody(start=q["start"], end=q["end"]) if q else None,
            unsubscribed=[NotificationKind(k) for k in prefs["unsubscribed"]],
            digest_at=prefs.get("digest_at"),
        )


class DeadLetterView(BaseModel):
    delivery_id: str
    participant_id: str
    source_event_id: str
    kind: NotificationKind
    channel: Channel
    attempts: int
    reason: str | None
    program_id: str | None
    match_id: str | None
    case_id: str | None

    @classmethod
    def of(cls, entry: Delivery) -> DeadLetterView:
        return cls.model_validate({name: entry.get(name) for name in cls.model_fields})


class DeadLetters(BaseModel):
    dead: list[DeadLetterView] = Field(max_length=MAX_DEAD)
