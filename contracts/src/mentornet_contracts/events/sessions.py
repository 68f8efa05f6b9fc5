"""Events on mentornet.sessions, keyed by match id. Published by the scheduler.

Times are UTC instants; each participant's local start is spelled out for them so
consumers (reminders, calendars) need not convert time zones themselves.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field

from ..event import Event
from ..registry import BOUNDED, Superseded
from .common import Id, Role, SessionFormat, Value

SESSION_ID = Field(description="Session id.", examples=["s-90d1"])
MATCH_ID = Field(description="Match id (the record key).", examples=["m-51c0"])
STARTS_AT = Field(description="Start of the session, UTC.", examples=["2027-01-12T09:00:00Z"])
DURATION = Field(ge=5, le=480, description="Planned length in minutes.", examples=[45])
MAX_COHORT_MEMBERS = 500
"""A program's largest cohort (program.published's cohort_size)."""
LOCAL_TIMES = Field(
    max_length=MAX_COHORT_MEMBERS + 1,
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


class BookingFailure(StrEnum):
    """Why the scheduler could not book a session."""

    NO_OVERLAP = "no_overlap"
    """The two people's weekly windows never meet for a whole session."""
    HOUR_CAP = "hour_cap"
    """The mentor's monthly mentoring hours are used up."""
    FULLY_BOOKED = "fully_booked"
    """They overlap, but every shared time is taken by other sessions or leave."""
    COHORT_SLOT = "cohort_slot"
    """A cohort member cannot attend the cohort's weekly slot."""
    EXCEPTION = "exception"
    """An attendee is away on that date (a dated exception: leave, a busy week)."""


MAX_SERIES_SESSIONS = 60
"""Sessions one match's series plans at most."""
MAX_UNPLACED_DETAIL = 300


class UnplacedSession(Value):
    """One date of a series that could not be booked, and why."""

    sequence: int = Field(ge=1, le=1000, description="Its place in the series.", examples=[4])
    target: AwareDatetime = Field(
        description="When the cadence wanted it, UTC.", examples=["2027-04-06T16:00:00Z"]
    )
    reason: BookingFailure = Field(
        description="Why no time near the target could be booked.", examples=["no_overlap"]
    )
    detail: str = Field(
        default="",
        max_length=MAX_UNPLACED_DETAIL,
        description="More on the reason, in plain words and local times.",
        examples=["the mentee's window is 08:00-09:00 America/Sao_Paulo"],
    )
    attendee_id: Id | None = Field(
        default=None,
        description="The attendee whose windows or leave rule the date out, when one does.",
        examples=["p-7f3a"],
    )


MAX_ABSENCE_REASON = 160
CHECKIN_LONGEST_OPEN_DAYS = 7
"""An async check-in is open from its start for its series' interval, at most this
many days; `due_at` says when it closes (a reader of a record without one assumes
this many days)."""


class CohortAbsence(Value):
    mentee_id: Id = Field(description="Cohort member's participant id.", examples=["p-7f3a"])
    reason: str = Field(
        max_length=MAX_ABSENCE_REASON,
        description="Why they cannot attend the slot, in plain words.",
        examples=["outside the mentee's windows (10:00-12:00 America/New_York on Tuesdays)"],
    )


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
    event_type: ClassVar[str] = "mentornet.session.scheduled.v2"
    session_id: Id = SESSION_ID
    match_id: Id = MATCH_ID
    program_id: Id = Field(description="Program of the match.", examples=["prog-eng-2027"])
    mentor_id: Id = Field(description="Mentor's participant id.", examples=["p-22b9"])
    mentee_id: Id = Field(description="Mentee's participant id.", examples=["p-7f3a"])
    session_type: SessionType = Field(description="Kind of session.", examples=["kickoff"])
    starts_at: AwareDatetime = STARTS_AT
    duration_minutes: int = DURATION
    local_times: tuple[LocalTime, ...] = LOCAL_TIMES
    cohort_id: Id | None = Field(
        default=None,
        description="The cohort whose group session this is (cohort programs).",
        examples=["c-5e0b1a2f"],
    )
    sequence: int = Field(
        default=1,
        ge=1,
        description="The session's place in its match's series, 1 for the first.",
        examples=[1],
    )
    format: SessionFormat | None = Field(
        default=None,
        description="`async` for a written check-in (the mentee's reflection and the "
        "mentor's reply, through feedback's API, between `starts_at` and `due_at`); "
        "none for a live session.",
        examples=["async"],
    )
    due_at: AwareDatetime | None = Field(
        default=None,
        description="An async check-in's due time, UTC: the reflection and the reply "
        "are due by then, or the check-in counts as missed.",
        examples=["2027-01-19T09:00:00Z"],
    )


class SessionRescheduled(_SessionEvent):
    event_type: ClassVar[str] = "mentornet.session.rescheduled.v2"
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
    due_at: AwareDatetime | None = Field(
        default=None,
        description="An async check-in's due time after the move, UTC (none for a live session).",
        examples=["2027-01-19T09:00:00Z"],
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
    cohort_id: Id | None = Field(
        default=None,
        description="The cohort of a group session: each member's match gets its own "
        "reminder, so a notifier reminds the cohort's mentor once per cohort and start.",
        examples=["c-5e0b1a2f"],
    )


class SessionCompleted(_SessionEvent):
    """The session's time is over and its attendance is known."""

    event_type: ClassVar[str] = "mentornet.session.completed.v1"
    session_id: Id = SESSION_ID
    match_id: Id = MATCH_ID
    attendance: Attendance = Field(description="Who turned up.", examples=["attended"])


class SessionMissed(_SessionEvent):
    """The session did not take place: a no-show, or no attendance was recorded."""

    event_type: ClassVar[str] = "mentornet.session.missed.v2"
    session_id: Id = SESSION_ID
    match_id: Id = MATCH_ID
    absent: tuple[Role, ...] = Field(
        default=(),
        max_length=len(Role),
        description="Who was absent; empty if unknown.",
        examples=[["mentee"]],
    )
    missed_in_a_row: int = Field(
        ge=1, description="Sessions of this match missed in a row, this one included.", examples=[2]
    )


class SessionAttendanceDue(_SessionEvent):
    """The session ended a while ago and nobody has recorded attendance: a prompt to
    the pair (and their coordinator) to say whether it took place."""

    event_type: ClassVar[str] = "mentornet.session.attendance.due.v1"
    session_id: Id = SESSION_ID
    match_id: Id = MATCH_ID
    ended_at: AwareDatetime = Field(
        description="When the session was due to end, UTC.", examples=["2027-01-12T10:00:00Z"]
    )


class SessionBookingFailed(_SessionEvent):
    """Some or all of a match's planned sessions could not be booked (or one could not
    be moved): QA opens a case and coordinators step in. Sessions that were booked
    stand; the series is not complete while any planned date stays unplaced.

    `unplaced` is the match's complete current set of unplaced dates, not a delta: a
    reader replaces what it knew with it. A date booked later is announced by
    `session.scheduled` with the same `sequence` (and drops out of the next report).
    `planned` and `booked` count the whole series. A session that could not be moved
    (new availability, no time near it) is reported with its date in `unplaced`; a
    record with `planned` 0 and no dates says only that booking failed (v1 records, and a
    match whose series could not be planned at all)."""

    event_type: ClassVar[str] = "mentornet.session.booking.failed.v2"
    match_id: Id = MATCH_ID
    program_id: Id = Field(description="Program of the match.", examples=["prog-eng-2027"])
    reason: BookingFailure = Field(
        description="Why: the reason of the first date left unplaced, or of the whole "
        "series when nothing was booked.",
        examples=["no_overlap"],
    )
    detail: str = Field(
        default="",
        max_length=500,
        description="More on the reason, in plain words.",
        examples=["no shared hour between Asia/Kolkata and America/Los_Angeles windows"],
    )
    cohort_id: Id | None = Field(
        default=None,
        description="The cohort, when the match's sessions are its cohort's group sessions.",
        examples=["c-5e0b1a2f"],
    )
    planned: int = Field(
        default=0,
        ge=0,
        le=MAX_SERIES_SESSIONS,
        description="Sessions the series planned (0 when not known).",
        examples=[6],
    )
    booked: int = Field(
        default=0, ge=0, le=MAX_SERIES_SESSIONS, description="Sessions booked.", examples=[3]
    )
    unplaced: tuple[UnplacedSession, ...] = Field(
        default=(),
        max_length=MAX_SERIES_SESSIONS,
        description="Each planned date that could not be booked, with its reason.",
        examples=[
            [
                {
                    "sequence": 4,
                    "target": "2027-04-06T16:00:00Z",
                    "reason": "no_overlap",
                    "detail": "the mentee's window is 08:00-09:00 America/Sao_Paulo",
                    "attendee_id": "p-7f3a",
                }
            ]
        ],
    )


class CohortSlotChosen(_SessionEvent):
    """A cohort's recurring weekly slot, chosen so that most members can attend.
    Keyed by cohort id, not match id: it concerns the whole group."""

    event_type: ClassVar[str] = "mentornet.cohort.slot.chosen.v2"
    key_field: ClassVar[str] = "cohort_id"
    cohort_id: Id = Field(description="Cohort id (the record key).", examples=["c-5e0b1a2f"])
    program_id: Id = Field(description="Program of the cohort.", examples=["prog-eng-2027"])
    mentor_id: Id = Field(description="The cohort's mentor.", examples=["p-22b9"])
    timezone: str = Field(
        min_length=1, max_length=64, description="Mentor's IANA zone.", examples=["Europe/Berlin"]
    )
    weekday: str = Field(
        max_length=3,
        pattern=r"^(mon|tue|wed|thu|fri|sat|sun)$",
        description="Weekday in the mentor's zone.",
        examples=["tue"],
    )
    local_start: str = Field(
        max_length=5,
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="Start, HH:MM in the mentor's zone.",
        examples=["17:00"],
    )
    duration_minutes: int = DURATION
    first_starts_at: AwareDatetime = Field(
        description="The first group session, UTC.", examples=["2027-01-12T16:00:00Z"]
    )
    attending: tuple[Id, ...] = Field(
        max_length=MAX_COHORT_MEMBERS,
        description="Members who can attend.",
        examples=[["p-7f3a", "p-91c2"]],
    )
    unable: tuple[CohortAbsence, ...] = Field(
        default=(),
        max_length=MAX_COHORT_MEMBERS,
        description="Members who cannot, and why.",
        examples=[[{"mentee_id": "p-5d10", "reason": "outside the mentee's windows"}]],
    )


class SeriesCompleted(_SessionEvent):
    """Every session the match's series planned has been settled (held or missed, none
    still to come) and at least one was held: the match has run its course, and the
    matcher ends it as completed."""

    event_type: ClassVar[str] = "mentornet.series.completed.v1"
    match_id: Id = MATCH_ID
    program_id: Id = Field(description="Program of the match.", examples=["prog-eng-2027"])
    held: int = Field(ge=1, description="Sessions held.", examples=[6])
    missed: int = Field(ge=0, description="Sessions missed.", examples=[1])


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
    SeriesCompleted,
    SessionMissed,
    SessionAttendanceDue,
    SessionBookingFailed,
    CohortSlotChosen,
    MatchStalled,
)
SUPERSEDED = (
    Superseded("mentornet.session.scheduled.v1", SessionScheduled, BOUNDED),
    Superseded("mentornet.session.rescheduled.v1", SessionRescheduled, BOUNDED),
    Superseded("mentornet.session.missed.v1", SessionMissed, BOUNDED),
    Superseded("mentornet.cohort.slot.chosen.v1", CohortSlotChosen, BOUNDED),
    Superseded(
        "mentornet.session.booking.failed.v1",
        SessionBookingFailed,
        "v2 adds the exception reason and the dates left unplaced, each with its reason",
    ),
)
