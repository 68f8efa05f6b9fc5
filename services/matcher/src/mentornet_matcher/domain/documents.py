"""What the matcher keeps: the state of each of its aggregates, typed.

The chassis stores each state as a JSON-like document; these types name its keys, so a
reader can see a match, a candidate or a mentor's load without running the code. The
store casts once when it reads (store/stores.py); statuses are StrEnums, so stored and
JSON values stay the same strings.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NotRequired, TypedDict

from mentornet_contracts.events.programs import ApprovalMode

Profile = dict[str, Any]
"""A role's registration as JSON (MenteeRegistered or MentorRegistered, without the
participant id); read back through candidates.as_mentee / as_mentor."""


class MatchStatus(StrEnum):
    PROPOSED = "proposed"
    IN_REVIEW = "in_review"
    SHORTLISTED = "shortlisted"
    CONFIRMED = "confirmed"
    PAUSED = "paused"
    """Confirmed, on hold until it resumes (domain/pauses.py)."""
    DECLINED = "declined"
    ENDED = "ended"
    SUPERSEDED = "superseded"


class Contribution(TypedDict):
    """One signal's share of a match's score (contracts ScoreContribution, as JSON)."""

    signal: str
    contribution: float
    text: str


class Match(TypedDict):
    """A proposal and its life (domain/matches.py)."""

    match_id: str
    mentee_id: str
    mentor_id: str
    program_id: str
    score: float
    explanation: list[Contribution]
    status: MatchStatus
    hours: float
    """The monthly hours the match holds of its mentor's time."""
    proposed_at: str
    holder: NotRequired[str]
    """Whose load holds the mentor's place (domain/loads.holder)."""
    declined_by: NotRequired[str]
    reason: NotRequired[str]
    approved_by: NotRequired[str]
    ended_from: NotRequired[MatchStatus]
    failed: NotRequired[bool]
    """Ended because the pair did not work: never proposed again."""
    end_reason: NotRequired[str]
    end_cause: NotRequired[str]
    fit_confirmed_by: NotRequired[list[str]]
    format: NotRequired[str | None]
    """The format the match meets in once confirmed: `async` for written check-ins."""
    pause: NotRequired[Pause]
    """While paused: who paused it, why, and until when."""
    pause_requests: NotRequired[dict[str, PauseRequest]]
    """Role (mentee, mentor) to their request to pause, until both have asked (a
    request lapses after 7 days: domain/pause_requests.py)."""
    resume_requests: NotRequired[dict[str, ResumeRequest]]
    """While paused by the pair: role to their request to resume early."""
    pauses: NotRequired[list[Pause]]
    """Pauses taken and over, oldest first."""
    due_epoch: NotRequired[float | None]
    """When the pause ends on its own (epoch seconds; the chassis timers read it)."""
    signals: NotRequired[dict[str, float]]
    """The pair's raw signal values when proposed (match.proposed)."""
    experiment_id: NotRequired[str | None]
    arm_id: NotRequired[str | None]
    rule_id: NotRequired[str | None]
    rule_version: NotRequired[int | None]


class Pause(TypedDict):
    by: str
    """A PauseActor."""
    reason: str
    paused_at: str
    resume_by: str
    case_id: NotRequired[str]
    resumed_at: NotRequired[str]
    resumed_by: NotRequired[str]


class PauseRequest(TypedDict):
    weeks: int
    reason: str
    at: str


class ResumeRequest(TypedDict):
    at: str


class CandidateStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"


class Candidate(TypedDict):
    """What the matcher knows about a participant (domain/candidates.py)."""

    participant_id: str
    roles: dict[str, Profile]
    """Role ("mentee", "mentor") to its registration, as updated since."""
    status: CandidateStatus
    programs: NotRequired[dict[str, str]]
    """After erasure: role to the program the role was in."""


class Program(TypedDict):
    """A program's rules: ProgramPublished as JSON, as last updated. The matcher reads
    them through domain/programs.rules_of; these are the keys it reads directly."""

    program_id: str
    approval_mode: ApprovalMode
    outcome_measures: NotRequired[list[str] | None]
    """Outcomes the program collects (none: every outcome): experiments' primary
    outcome must be one of them."""


class Hold(TypedDict):
    program_id: str
    hours: float
    shared: NotRequired[bool]
    """A cohort member: the group's hours count once."""


class Load(TypedDict):
    """A mentor's (person's) load: match id to the place it holds (domain/loads.py)."""

    mentor_id: str
    holds: dict[str, Hold]


class OfferClaim(TypedDict):
    """Which placement owns the mentee right now (domain/offers.py)."""

    group: str
    matches: list[str]
    at: float
    """Epoch seconds of the claim."""


class WaitlistEntry(TypedDict, total=False):
    """A mentee's waitlist aggregate: why they wait, and the offer claim on them."""

    program_id: str
    reasons: list[str]
    """WaitlistReason values, most common first."""
    short_skills: list[str]
    waiting: bool
    """A flag, since the embedded server cannot query on an array position."""
    offer: OfferClaim


class RunRecord(TypedDict):
    """The last batch run of a program."""

    run_id: str
    proposed: int
    waitlisted: int
    total_score: float
    lp_bound: float
    optimality_gap: float
    prices: dict[str, float]
    """Mentor prices (the LP's duals) that place newcomers until the next run."""
    finished_at: NotRequired[str]


class BatchRun(TypedDict, total=False):
    """A program's batch-run document (store/batch_runs.py): requests, lease, record."""

    _id: str
    requested: int
    done: int
    roster: int
    """Changes to the program's mentors so far."""
    lease_until: float
    owner: str
    finished_epoch: float
    last: RunRecord


class GapRow(TypedDict):
    skill_id: str
    waiting: int
    places: int
    shortfall: int


class CoverageReport(TypedDict):
    """A program's skill gaps as of its last batch run (domain/coverage_gaps.py)."""

    skills: list[GapRow]
    waiting_mentees: int
    mentors_with_capacity: int


class TaxonomyView(TypedDict):
    """The taxonomy as intake last announced it (domain/taxonomy_view.py)."""

    version: int
    skills: dict[str, dict[str, Any]]
    """Skill id to its definition (contracts Skill, as JSON)."""
    renamed: dict[str, str]
