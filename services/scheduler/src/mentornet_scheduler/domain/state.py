"""The scheduler's stored state, typed: each aggregate's document as the chassis store
keeps it (a TypedDict is the same JSON document, so nothing about storage changes) and
every status as a StrEnum (stored and served as the same strings).

Aggregates: a match (with its sessions and the program rules it runs under), a
mentor's ledger of booked time, a cohort, and a participant's calendar read model.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NotRequired, TypedDict

from mentornet_contracts.events.sessions import Attendance, SessionType


class MatchStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    """On hold (match.paused): nothing is booked, no timer runs, nothing stalls."""
    ENDED = "ended"


class BookingState(StrEnum):
    """`pending`: waiting for both calendars and the program; `failed`: nothing could
    be booked (coordinators are told why); `cohort`: the cohort books its members."""

    PENDING = "pending"
    BOOKED = "booked"
    FAILED = "failed"
    COHORT = "cohort"
    CHECKINS = "checkins"
    """An async match waiting for its check-ins to be planned (domain/checkins.py)."""


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    MISSED = "missed"


class Reminder(StrEnum):
    """What became of one reminder offset of a session."""

    SENT = "sent"
    SKIPPED = "skipped"


class CohortStatus(StrEnum):
    FORMING = "forming"
    SCHEDULED = "scheduled"
    FAILED = "failed"


class CalendarStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"


class LocalStart(TypedDict):
    participant_id: str
    timezone: str
    local_start: str


class Session(TypedDict):
    session_id: str
    sequence: int
    session_type: SessionType
    starts_at: str
    duration_minutes: int
    status: SessionStatus
    revision: int
    attendance: Attendance | None
    reminders: dict[str, Reminder]
    """Offset in minutes (as a string) to what became of that reminder."""
    prompted: bool
    local_times: list[LocalStart]
    booking_id: str
    """The mentor's ledger entry: the session's own id, or a cohort's group session."""
    cohort_id: str | None
    reason: NotRequired[str]
    recorded_by: NotRequired[str]
    counted: NotRequired[bool]
    """Already counted towards the missed streak."""
    format: NotRequired[str]
    """`async` for a written check-in (domain/checkins.py); absent for a live session."""
    due_at: NotRequired[str]
    """A check-in's due time."""
    submitted: NotRequired[list[str]]
    """The roles whose part of a check-in is in."""


class MatchRules(TypedDict):
    """What a match needs of its program's rules, kept with the match."""

    tier: str
    sessions_per_month: int
    session_minutes: int
    duration_weeks: int
    max_monthly_hours: float
    missed_in_a_row: int
    days_without_activity: int
    cohort_size: int | None


class Claim(TypedDict):
    owner: str
    until: float


class FailureNote(TypedDict):
    reason: str
    detail: str


class UnplacedNote(TypedDict):
    """A planned date that could not be booked, and why (domain/unplaced.py)."""

    sequence: int
    target: str
    reason: str
    detail: str
    attendee_id: str | None


class PauseNote(TypedDict):
    """A match's pause (domain/pauses.py): what it cancelled, and its resume once known."""

    by: str
    reason: str
    paused_at: str
    resume_by: str
    cancelled: list[str]
    """Session ids the pause cancelled (re-planned or re-seated on resume)."""
    resumed_at: NotRequired[str]


class Match(TypedDict):
    match_id: str
    program_id: str
    mentor_id: str
    mentee_id: str
    status: MatchStatus
    booking: BookingState
    confirmed_at: str
    last_activity_at: str
    missed_in_a_row: int
    stalled: dict[str, bool]
    sessions: list[Session]
    due_epoch: float | None
    rules: NotRequired[MatchRules]
    failure: NotRequired[FailureNote | None]
    waiting: NotRequired[str]
    claim: NotRequired[Claim]
    cohort_id: NotRequired[str]
    series_done: NotRequired[bool]
    unplaced: NotRequired[list[UnplacedNote]]
    """Planned dates not booked: the series is not complete while any stays."""
    format: NotRequired[str]
    """`async`: the match meets by written check-ins (domain/checkins.py)."""
    pause: NotRequired[PauseNote]
    pauses: NotRequired[int]
    """Pauses the match has resumed from (new session ids per resume)."""


class LedgerEntry(TypedDict):
    start: str
    end: str
    minutes: int
    month: str
    match_id: NotRequired[str]


class Ledger(TypedDict):
    mentor_id: str
    bookings: dict[str, LedgerEntry]
    """Booking id to the time it holds."""


class Slot(TypedDict):
    weekday: str
    local_start: str
    timezone: str


class GroupSession(TypedDict):
    sequence: int
    starts_at: str
    minutes: int
    type: SessionType


class Cohort(TypedDict):
    cohort_id: str
    program_id: str
    mentor_id: str
    members: dict[str, str]
    """Match id to mentee id."""
    status: CohortStatus
    due_epoch: float | None
    slot: NotRequired[Slot]
    sessions: NotRequired[list[GroupSession]]
    attending: NotRequired[list[str]]
    unable: NotRequired[dict[str, str]]
    """Mentee id to why they cannot attend."""
    detail: NotRequired[str]
    gaps: NotRequired[list[UnplacedNote]]
    """Dates of the cohort's rhythm with no group session (the mentor cannot host)."""


class Calendar(TypedDict):
    participant_id: str
    status: CalendarStatus
    roles: NotRequired[dict[str, str]]
    """Role to the program it was registered in."""
    availability: NotRequired[dict[str, object] | None]
    """Availability as JSON (mentornet_contracts Availability)."""
    feed_token: NotRequired[str]
