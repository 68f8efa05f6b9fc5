"""What the scheduler's routes answer, so its OpenAPI document describes real answers.

Times a session is stored with are ISO 8601 strings with their UTC offset, served as
stored. A few keys appear only on some sessions (`reason` once cancelled, `recorded_by`
once attendance is recorded): routes serving sessions leave out the keys a session
does not have (`response_model_exclude_unset`)."""

from __future__ import annotations

from mentornet_contracts.events.sessions import Attendance, BookingFailure, SessionType
from pydantic import BaseModel, Field

from ..domain.state import BookingState, CohortStatus, MatchStatus, SessionStatus


class LocalTimeView(BaseModel):
    participant_id: str
    timezone: str = Field(description="IANA time zone.")
    local_start: str = Field(description="Start in the participant's zone, ISO 8601.")


class SessionView(BaseModel):
    session_id: str
    sequence: int = Field(description="Place in the match's series (extra sessions follow).")
    session_type: SessionType
    starts_at: str = Field(description="Start, ISO 8601 with its UTC offset.")
    duration_minutes: int
    status: SessionStatus
    revision: int = Field(description="Bumped by every change (iCalendar SEQUENCE).")
    attendance: Attendance | None
    local_times: list[LocalTimeView] = Field(description="The start in each person's zone.")
    cohort_id: str | None = Field(description="The cohort, for a group session.")
    reason: str | None = Field(default=None, description="Why it was cancelled.")
    recorded_by: str | None = Field(default=None, description="Who recorded attendance.")
    format: str | None = Field(
        default=None, description="`async` for a written check-in; absent for a live session."
    )
    due_at: str | None = Field(
        default=None, description="A check-in's due time: its reflection and reply by then."
    )
    submitted: list[str] = Field(
        default_factory=list, description="A check-in's parts already in, by role."
    )


class MatchSession(SessionView):
    """A session with the match and program it belongs to."""

    match_id: str
    program_id: str


class ParticipantSessions(BaseModel):
    participant_id: str
    sessions: list[MatchSession] = Field(description="Soonest first.")


class FailureView(BaseModel):
    reason: BookingFailure
    detail: str


class UnplacedView(BaseModel):
    """A planned date of the series that could not be booked."""

    sequence: int = Field(description="Its place in the series.")
    target: str = Field(description="When the cadence wanted it, ISO 8601.")
    reason: BookingFailure
    detail: str = Field(description="Why, in plain words and local times.")
    attendee_id: str | None = Field(description="Whose windows or leave rule it out.")


class PauseView(BaseModel):
    by: str = Field(description="Who paused the match.")
    reason: str
    paused_at: str
    resume_by: str = Field(description="When it resumes at the latest.")
    resumed_at: str | None = Field(default=None, description="When it resumed, once it has.")


class MatchSessions(BaseModel):
    """A match's booking state and its sessions."""

    match_id: str
    program_id: str
    mentor_id: str
    mentee_id: str
    status: MatchStatus
    booking: BookingState
    waiting_for: str | None = Field(description="What a pending booking waits for.")
    failure: FailureView | None = Field(description="Why booking fell short, if it did.")
    cohort_id: str | None
    missed_in_a_row: int
    stalled: list[str] = Field(description="Why the match is stalled, if it is.")
    sessions: list[SessionView]
    unplaced: list[UnplacedView] = Field(
        description="Planned dates not booked, with their reasons: the series is not "
        "complete while any remain."
    )
    pause: PauseView | None = Field(description="The match's current or last pause.")


class OpenSlot(BaseModel):
    starts_at: str = Field(description="ISO 8601, UTC.")
    local_start: str = Field(description="The same start in the zone asked for.")


class OpenSlots(BaseModel):
    match_id: str
    slots: list[OpenSlot]
    reason: str | None = Field(description="Why there are none, when there are none.")


class FeedLink(BaseModel):
    participant_id: str
    url: str = Field(description="The signed feed URL to subscribe to.")


class SlotView(BaseModel):
    weekday: str
    local_start: str = Field(description="HH:MM in the mentor's zone.")
    timezone: str


class GroupSessionView(BaseModel):
    sequence: int
    starts_at: str
    minutes: int
    type: SessionType


class CohortBase(BaseModel):
    cohort_id: str
    program_id: str
    mentor_id: str
    status: CohortStatus
    slot: SlotView | None = Field(description="Chosen once the cohort has settled.")
    sessions: list[GroupSessionView] | None


class CohortForMember(CohortBase):
    """What a member sees: their own place only."""

    attending: bool
    reason: str | None = Field(description="Why they cannot attend, if they cannot.")


class CohortInFull(CohortBase):
    """What its mentor and the program's team see."""

    members: dict[str, str] = Field(description="Match id to mentee id.")
    attending: list[str] | None
    unable: dict[str, str] | None = Field(description="Mentee id to why they cannot attend.")
    detail: str | None
