"""The documents QA keeps (each aggregate's `state`), typed. TypedDicts, so what is
stored does not change: statuses are StrEnums, stored and answered as the same strings.
Keys a document gains along the way are optional (`NotRequired`)."""

from __future__ import annotations

from enum import StrEnum
from typing import NotRequired, TypedDict

from mentornet_contracts.events.qa import (
    EscalationAction,
    EscalationTrigger,
    Resolution,
    ReviewOutcome,
    Severity,
)

from .outcome_docs import MatchOutcomes, MenteeGoals
from .workflow_docs import MatchWorkflow


class MatchStatus(StrEnum):
    UNKNOWN = "unknown"
    """Only facts from other streams have arrived so far."""
    PROPOSED = "proposed"
    IN_REVIEW = "in_review"
    SHORTLISTED = "shortlisted"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    ENDED = "ended"


WAITING = (MatchStatus.PROPOSED, MatchStatus.IN_REVIEW, MatchStatus.SHORTLISTED)
"""A proposal still waiting for its answer."""
FINISHED = (MatchStatus.ENDED, MatchStatus.DECLINED)
"""A match that has ended or was declined: nothing left to escalate, hold or book."""


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    MISSED = "missed"


class CaseStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class PersonStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"


class SampleStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    REVIEWED = "reviewed"
    WITHDRAWN = "withdrawn"
    """Taken out of review: one of its people asked to be erased."""


class Session(TypedDict):
    session_id: str
    status: NotRequired[SessionStatus]
    starts_at: NotRequired[str]
    completed_at: NotRequired[str]
    sequence: NotRequired[int]
    format: NotRequired[str]
    """`async` for a written check-in (a reflection and a reply), absent for a live
    session."""
    due_at: NotRequired[str]
    """A written check-in's due time."""


class Unplaced(TypedDict):
    """A planned date of the match's series that could not be booked."""

    sequence: int
    target: str
    reason: str
    attendee_id: str | None


class Pause(TypedDict):
    """The match is on hold (match.paused) until it resumes."""

    by: str
    reason: str
    paused_at: str
    resume_by: str
    case_id: str | None


class Answer(TypedDict):
    """One feedback request's latest revision."""

    role: str
    participant_id: str
    session_id: str
    rubric: dict[str, int]
    rating: int | None
    revision: int


class TriggerSeen(TypedDict):
    trigger: EscalationTrigger
    detail: str
    at: str


class NudgeSide(StrEnum):
    """Which of the pair a nudge reached."""

    MENTOR = "mentor"
    MENTEE = "mentee"


class Nudge(TypedDict):
    """A nudge the notifier delivered for a case (notification.delivered, stall_nudge)."""

    delivery_id: str
    who: NudgeSide
    channel: str
    at: str


class Case(TypedDict):
    """An escalation case: open on its match, or among the match's closed cases."""

    case_id: str
    trigger: EscalationTrigger
    triggers: list[TriggerSeen]
    severity: Severity
    action: EscalationAction
    owner_id: str
    opened_at: str
    due_at: str
    status: CaseStatus
    triggers_seen: NotRequired[int]
    breaches: NotRequired[int]
    exhausted: NotRequired[bool]
    awaiting_new_match: NotRequired[bool]
    awaiting_resume: NotRequired[bool]
    """Its pause step paused the match: it waits for the match to resume."""
    resume_overdue: NotRequired[bool]
    """`resume_by` passed and no resume came: it rose once for that."""
    nudges: NotRequired[list[Nudge]]
    """Nudges delivered for it, one per delivery, in the order they arrived."""
    resolution: NotRequired[Resolution]
    resolved_at: NotRequired[str]
    resolved_by: NotRequired[str]
    note: NotRequired[str]


class Match(MatchOutcomes, MatchWorkflow):
    """QA's view of a match, fed by every stream; ids stay None until a fact names them.
    Its outcome facts are typed in outcome_docs.py, its workflow facts (reports, action
    items, feedback requests, with their times) in workflow_docs.py."""

    match_id: str
    program_id: str | None
    mentor_id: str | None
    mentee_id: str | None
    status: MatchStatus
    sessions: dict[str, Session]
    feedback: dict[str, Answer]
    items: int
    items_done: int
    goals: dict[str, str]
    case: Case | None
    closed_cases: list[Case]
    due_epoch: float | None
    score: NotRequired[float]
    proposed_at: NotRequired[str]
    accept_by: NotRequired[str]
    accepted: NotRequired[bool]
    timed_out: NotRequired[bool]
    confirmed_at: NotRequired[str]
    ended_at: NotRequired[str]
    end_reason: NotRequired[str]
    end_cause: NotRequired[str | None]
    falling_flagged: NotRequired[bool]
    cases_opened: NotRequired[int]
    cases_resolved: NotRequired[int]
    escalated_samples: NotRequired[list[str]]
    format: NotRequired[str | None]
    unplaced: NotRequired[list[Unplaced]]
    """The dates of the latest session.booking.failed not booked since."""
    unplaced_reported_at: NotRequired[str]
    paused: NotRequired[Pause | None]
    pauses: NotRequired[int]
    stalls_while_paused: NotRequired[int]
    cohort_id: NotRequired[str]
    """The scheduler's cohort, when the match meets in a cohort's group sessions."""


class Role(TypedDict):
    program_id: str
    since: str
    capacity: NotRequired[int | None]
    goal_skills: NotRequired[list[str]]
    skills: NotRequired[list[str]]
    """A mentor's skill ids (sorted), as registered or last updated."""


class Roles(TypedDict, total=False):
    mentor: Role
    mentee: Role


class Invitation(TypedDict):
    """An invitation to mentor (mentee.invited_to_mentor) and its answer."""

    program_id: str
    invited_at: str
    accepted: NotRequired[bool]
    answered_at: NotRequired[str]


class Person(MenteeGoals):
    participant_id: str
    roles: Roles
    status: PersonStatus
    groups: dict[str, str]
    waitlisted_at: NotRequired[str]
    waitlist_reasons: NotRequired[list[str]]
    invited: NotRequired[bool]
    invitation: NotRequired[Invitation]
    person_id: NotRequired[str]
    """The person behind this enrolment (the participant id when the event names none)."""


class ReviewRecord(TypedDict):
    """One reviewer's scores, outcome and comment on a sample."""

    reviewer_id: str
    rubric: dict[str, int]
    outcome: ReviewOutcome
    comment: str
    at: str


class Sample(TypedDict):
    sample_id: str
    program_id: str
    period: str
    match_id: str
    session_id: str
    mentor_id: str
    mentee_id: str
    double: bool
    claims: list[str]
    reviews: list[ReviewRecord]
    status: SampleStatus
    format: NotRequired[str]
    """`async` when the sampled session is a written check-in."""
    claimed_at: NotRequired[str]
    withdrawn_at: NotRequired[str]
    withdrawn_because: NotRequired[str]


class SessionDecision(TypedDict):
    """A held session and whether it was sampled, as a period records it."""

    session_id: str
    match_id: str
    mentor_id: str
    mentee_id: str
    started_at: str
    mentor_since: str | None
    sampled: bool
    double: bool
    reason: str
    after_close: bool
    format: NotRequired[str]


class Period(TypedDict):
    """One month of a program's sampling."""

    program_id: str
    period: str
    seed: str
    decisions: dict[str, SessionDecision]
    closed: bool
    due_epoch: float | None
    closed_at: NotRequired[str]


class Impact(TypedDict):
    mentor_id: str
    matches: int
    sessions_delivered: int
    rubric_average: float | None
    goals_reached: int


class Recognition(TypedDict, total=False):
    """A mentor's recognition in one program; an erased mentor's is `{"erased": True}`."""

    program_id: str
    mentor_id: str
    awards: list[str]
    impact: Impact
    erased: bool
