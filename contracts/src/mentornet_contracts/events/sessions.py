"""Events on mentornet.sessions, keyed by match id. Published by the scheduler.

Times are UTC instants; each participant's local start is spelled out for them so
consumers (reminders, calendars) need not convert time zones themselves.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field

from ..event import Event
from .common import Id, Role, Value

SESSION_ID = Field(description="Session id.", examples=["s-90d1"])
MATCH_ID = Field(description="Match id (the record key).", examples=["m-51c0"])
STARTS_AT = Field(description="Start of the session, UTC.", examples=["2027-01-12T09:00:00Z"])
DURATION = Field(ge=5, le=480, description="Planned length in minutes.", examples=[45])
LOCAL_TIMES = Field(
    description="Each participant's local start time.",
    examples=[
        [
            {
                "participant_id": "p-7f3a",
                "timezone": "Europe/Berlin",
                "local_start": "2027-01-12T10:00:00+01:00",
            }
        ]
    ],
)


class SessionType(StrEnum):
    KICKOFF = "kickoff"
    REGULAR = "regular"
    MILESTONE_REVIEW = "milestone_review"
    WRAP_UP = "wrap_up"


class Attendance(StrEnum):
    ATTENDED = "attended"
    MENTOR_NO_SHOW = "mentor_no_show"
    MENTEE_NO_SHOW = "mentee_no_show"


class StallReason(StrEnum):
    MISSED_SESSIONS = "missed_sessions"
    NO_ACTIVITY = "no_activity"


class LocalTime(Value):
    participant_id: Id = Field(description="Participant id.", examples=["p-7f3a"])
    timezone: str = Field(
        min_length=1, max_length=64, description="IANA time zone.", examples=["Europe/Berlin"]
    )
    local_start: str = Field(
        max_length=40,
        description="Start in the participant's zone, ISO 8601 with offset.",
        examples=["2027-01-12T10:00:00+01:00"],
    )


class _SessionEvent(Event):
    key_field: ClassVar[str] = "match_id"


class SessionScheduled(_SessionEvent):
    event_type: ClassVar[str] = "mentornet.session.scheduled.v1"
    session_id: Id = SESSION_ID
    match_id: Id = MATCH_ID
    program_id: Id = Field(description="Program of the match.", examples=["prog-eng-2027"])
    mentor_id: Id = Field(description="Mentor's participant id.", examples=["p-22b9"])
    mentee_id: Id = Field(description="Mentee's participant id.", examples=["p-7f3a"])
    session_type: SessionType = Field(description="Kind of session.", examples=["kickoff"])
    starts_at: AwareDatetime = STARTS_AT
    duration_minutes: int = DURATION
    local_times: tuple[LocalTime, ...] = LOCAL_TIMES


class SessionRescheduled(_SessionEvent):
    event_type: ClassVar[str] = "mentornet.session.rescheduled.v1"
    session_id: Id = SESSION_ID
    match_id: Id = MATCH_ID
    previous_starts_at: AwareDatetime = Field(
        description="The start it replaces, UTC.", examples=["2027-01-12T09:00:00Z"]
    )
    starts_at: AwareDatetime = STARTS_AT
    duration_minutes: int = DURATION
    local_times: tuple[LocalTime, ...] = LOCAL_TIMES
    reason: str = Field(
        default="", max_length=500, description="Why it moved.", examples=["public holiday"]
    )


class SessionCancelled(_SessionEvent):
    event_type: ClassVar[str] = "mentornet.session.cancelled.v1"
    session_id: Id = SESSION_ID
    match_id: Id = MATCH_ID
    reason: str = Field(
        default="", max_length=500, description="Why it was cancelled.", examples=["match ended"]
    )


class SessionReminderDue(_SessionEvent):
    """Time to remind both participants of an upcoming session."""

    event_type: ClassVar[str] = "mentornet.session.reminder.due.v1"
    session_id: Id = SESSION_ID
    match_id: Id = MATCH_ID
    starts_at: AwareDatetime = STARTS_AT
    offset_minutes: int = Field(
        ge=0, le=20160, description="Minutes before the start this reminder is for.", examples=[60]
    )


class SessionCompleted(_SessionEvent):
    """The session's time is over and its attendance is known."""

    event_type: ClassVar[str] = "mentornet.session.completed.v1"
    session_id: Id = SESSION_ID
    match_id: Id = MATCH_ID
    attendance: Attendance = Field(description="Who turned up.", examples=["attended"])


class SessionMissed(_SessionEvent):
    """The session did not take place: a no-show, or no attendance was recorded."""

    event_type: ClassVar[str] = "mentornet.session.missed.v1"
    session_id: Id = SESSION_ID
    match_id: Id = MATCH_ID
    absent: tuple[Role, ...] = Field(
        default=(), description="Who was absent; empty if unknown.", examples=[["mentee"]]
    )
    missed_in_a_row: int = Field(
        ge=1, description="Sessions of this match missed in a row, this one included.", examples=[2]
    )


class MatchStalled(_SessionEvent):
    event_type: ClassVar[str] = "mentornet.match.stalled.v1"
    match_id: Id = MATCH_ID
    reason: StallReason = Field(description="What stalled the match.", examples=["no_activity"])
    detail: str = Field(
        default="",
        max_length=500,
        description="More on the reason.",
        examples=["no session or report for 21 days"],
    )


EVENTS = (
    SessionScheduled,
    SessionRescheduled,
    SessionCancelled,
    SessionReminderDue,
    SessionCompleted,
    SessionMissed,
    MatchStalled,
)
