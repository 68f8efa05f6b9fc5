"""Events on mentornet.programs, keyed by program id. Published by intake.

A program's published rules are everything the other services need to match,
schedule, sample and escalate within it; they never read intake's database.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import Field

from ..errors import UnknownEntity
from ..event import Event
from ..registry import BOUNDED, Superseded
from ..taxonomy import Skill
from .common import Id, SessionFormat, Subject, Value

PROGRAM_ID = Field(description="Program id (the record key).", examples=["prog-eng-2027"])
WEIGHTS_EXAMPLE = {"skills": 0.4, "availability": 0.3, "timezone": 0.2, "language": 0.1}
CADENCE_EXAMPLE = {"sessions_per_month": 2, "session_minutes": 45}
CONFLICT_EXAMPLE = {"exclude_same_manager_line": True, "exclude_same_org_unit": False}
ESCALATION_EXAMPLE = {
    "missed_sessions_in_a_row": 2,
    "days_without_activity": 21,
    "low_rubric_average": 2.5,
    "days_to_accept_proposal": 7,
}

MAX_COORDINATORS = 50
MAX_WEIGHT = 100.0
"""Weights are relative; a bound keeps their sum finite."""
Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT)]
MAX_TAXONOMY_CHANGES = 50
"""Skills one taxonomy.updated may name in each of its lists (intake changes one)."""
COORDINATORS = Field(
    default=(),
    max_length=MAX_COORDINATORS,
    description="The program's coordinators: their account ids (token subjects), who own "
    "the program's escalation cases.",
    examples=[["coordinator-1"]],
)


MAX_PAUSE_WEEKS = 26
SESSION_FORMAT = Field(
    default=None,
    description="The format every match of the program meets in; `async` makes each "
    "match a series of written check-ins. None lets each pair's formats decide.",
    examples=["async"],
)


class MatchingSignal(StrEnum):
    """The signals `matching_weights` may weigh (the matcher scores each in [0, 1])."""

    SKILLS = "skills"
    AVAILABILITY = "availability"
    TIMEZONE = "timezone"
    FORMAT = "format"
    STYLE = "style"
    PACE = "pace"
    CHANNEL = "channel"
    LANGUAGE = "language"


MATCHING_SIGNALS = tuple(signal.value for signal in MatchingSignal)
Weights = dict[MatchingSignal, Weight]


class OutcomeMeasure(StrEnum):
    """An outcome a program collects, per mentee: what experiments may take as their
    primary outcome and the outcome report shows (docs/outcomes.md defines each)."""

    SKILL_GROWTH = "skill_growth"
    """Mean of (end self-assessment - baseline) over the mentee's target skills."""
    GOAL_COMPLETION = "goal_completion"
    """Share of the mentee's milestones completed by their due date."""
    SATISFACTION = "satisfaction"
    """The mentee's end-of-match satisfaction, 1-5."""
    CONFIDENCE_GAINED = "confidence_gained"
    """The mentee's confidence gained, 1-5, from the end-of-match survey."""
    WOULD_RECOMMEND = "would_recommend"
    """1 when the mentee would recommend the program, else 0."""
    RETENTION = "retention"
    """1 when the match ran its course, 0 when it closed early."""


OUTCOMES = Field(
    default=None,
    max_length=len(OutcomeMeasure),
    description="Outcomes the program collects; none means every outcome.",
    examples=[["skill_growth", "satisfaction"]],
)


class ProgramTier(StrEnum):
    MICRO = "micro"
    STANDARD = "standard"
    MILESTONE = "milestone"
    COHORT = "cohort"
    PEER = "peer"


class ApprovalMode(StrEnum):
    AUTO = "auto"
    MENTEE_SHORTLIST = "mentee_shortlist"
    COORDINATOR_REVIEW = "coordinator_review"


class Cadence(Value):
    sessions_per_month: int = Field(
        ge=1, le=31, description="Sessions a match should hold each month.", examples=[2]
    )
    session_minutes: int = Field(
        ge=5, le=480, description="Planned length of one session, in minutes.", examples=[45]
    )


class ConflictRules(Value):
    exclude_same_manager_line: bool = Field(
        description="Never match people in the same reporting line.", examples=[True]
    )
    exclude_same_org_unit: bool = Field(
        description="Never match people in the same org unit.", examples=[False]
    )


class EscalationThresholds(Value):
    missed_sessions_in_a_row: int = Field(
        ge=1, le=20, description="Missed sessions in a row that stall a match.", examples=[2]
    )
    days_without_activity: int = Field(
        ge=1, le=365, description="Days without any activity that stall a match.", examples=[21]
    )
    low_rubric_average: float = Field(
        ge=1, le=5, description="Rubric average below which QA escalates.", examples=[2.5]
    )
    days_to_accept_proposal: int = Field(
        ge=1, le=90, description="Days a proposal may wait for acceptance.", examples=[7]
    )


class SkillRename(Value):
    old_id: Id = Field(description="Skill id before the rename.", examples=["k8s"])
    new_id: Id = Field(description="Skill id after the rename.", examples=["kubernetes"])


class _ProgramEvent(Event):
    key_field: ClassVar[str] = "program_id"


class ProgramPublished(_ProgramEvent):
    event_type: ClassVar[str] = "mentornet.program.published.v2"
    program_id: Id = PROGRAM_ID
    name: str = Field(
        min_length=1, max_length=200, description="Program name.", examples=["Eng mentoring 2027"]
    )
    tier: ProgramTier = Field(description="Kind of program.", examples=["standard"])
    cadence: Cadence = Field(
        description="How often and how long matches meet.", examples=[CADENCE_EXAMPLE]
    )
    duration_weeks: int = Field(
        ge=1, le=260, description="How long a match runs, in weeks.", examples=[24]
    )
    max_active_mentees_per_mentor: int = Field(
        ge=1, le=50, description="Default cap on a mentor's active mentees.", examples=[3]
    )
    max_monthly_hours_per_mentor: float = Field(
        gt=0, le=200, description="Cap on a mentor's mentoring hours a month.", examples=[6.0]
    )
    approval_mode: ApprovalMode = Field(
        description="Who approves a proposed match.", examples=["mentee_shortlist"]
    )
    matching_weights: Weights = Field(
        max_length=len(MatchingSignal),
        description="Weight of each matching signal in the score.",
        examples=[WEIGHTS_EXAMPLE],
    )
    conflict_rules: ConflictRules = Field(
        description="Pairs the matcher must never propose.", examples=[CONFLICT_EXAMPLE]
    )
    qa_sample_rate: float = Field(
        ge=0, le=1, description="Share of sessions QA samples for review.", examples=[0.1]
    )
    escalation: EscalationThresholds = Field(
        description="When a match is stalled or escalated.", examples=[ESCALATION_EXAMPLE]
    )
    cohort_size: int | None = Field(
        default=None, ge=2, le=500, description="Mentees per cohort (cohort tier).", examples=[12]
    )
    coordinator_ids: tuple[Subject, ...] = COORDINATORS
    session_format: SessionFormat | None = SESSION_FORMAT
    max_pause_weeks: int = Field(
        default=4,
        ge=1,
        le=MAX_PAUSE_WEEKS,
        description="Longest pause a match may take at once, in weeks.",
        examples=[4],
    )
    outcome_measures: tuple[OutcomeMeasure, ...] | None = OUTCOMES


class ProgramUpdated(_ProgramEvent):
    """Only the rules that changed are set; absent fields keep their value."""

    event_type: ClassVar[str] = "mentornet.program.updated.v2"
    program_id: Id = PROGRAM_ID
    name: str | None = Field(
        default=None, min_length=1, max_length=200, description="New name.", examples=["Eng 2027"]
    )
    tier: ProgramTier | None = Field(default=None, description="New tier.", examples=["cohort"])
    cadence: Cadence | None = Field(
        default=None, description="New cadence.", examples=[CADENCE_EXAMPLE]
    )
    duration_weeks: int | None = Field(
        default=None, ge=1, le=260, description="New duration in weeks.", examples=[36]
    )
    max_active_mentees_per_mentor: int | None = Field(
        default=None, ge=1, le=50, description="New cap on active mentees.", examples=[2]
    )
    max_monthly_hours_per_mentor: float | None = Field(
        default=None, gt=0, le=200, description="New cap on monthly hours.", examples=[4.0]
    )
    approval_mode: ApprovalMode | None = Field(
        default=None, description="New approval mode.", examples=["coordinator_review"]
    )
    matching_weights: Weights | None = Field(
        default=None,
        max_length=len(MatchingSignal),
        description="New weights, replacing the old.",
        examples=[WEIGHTS_EXAMPLE],
    )
    conflict_rules: ConflictRules | None = Field(
        default=None, description="New conflict rules.", examples=[CONFLICT_EXAMPLE]
    )
    qa_sample_rate: float | None = Field(
        default=None, ge=0, le=1, description="New QA sample rate.", examples=[0.2]
    )
    escalation: EscalationThresholds | None = Field(
        default=None, description="New escalation thresholds.", examples=[ESCALATION_EXAMPLE]
    )
    cohort_size: int | None = Field(
        default=None, ge=2, le=500, description="New cohort size.", examples=[15]
    )
    coordinator_ids: tuple[Subject, ...] | None = Field(
        default=None,
        max_length=MAX_COORDINATORS,
        description="The program's coordinators after the change (their account ids).",
        examples=[["coordinator-1", "coordinator-2"]],
    )
    session_format: SessionFormat | None = Field(
        default=None,
        description="New format every match meets in (absent: unchanged).",
        examples=["async"],
    )
    max_pause_weeks: int | None = Field(
        default=None,
        ge=1,
        le=MAX_PAUSE_WEEKS,
        description="New longest pause, in weeks.",
        examples=[6],
    )
    outcome_measures: tuple[OutcomeMeasure, ...] | None = Field(
        default=None,
        max_length=len(OutcomeMeasure),
        description="New list of outcomes the program collects (absent: unchanged).",
        examples=[["skill_growth", "retention"]],
    )


class TaxonomyUpdated(_ProgramEvent):
    """The skill taxonomy changed. Keyed by taxonomy id, not program id: one taxonomy
    serves every program."""

    event_type: ClassVar[str] = "mentornet.taxonomy.updated.v2"
    key_field: ClassVar[str] = "taxonomy_id"
    taxonomy_id: Id = Field(description="Taxonomy id (the record key).", examples=["default"])
    taxonomy_version: int = Field(
        ge=1, description="Taxonomy version after the change.", examples=[7]
    )
    added: tuple[Id, ...] = Field(
        default=(),
        max_length=MAX_TAXONOMY_CHANGES,
        description="Skill ids added.",
        examples=[["rust", "llm-ops"]],
    )
    renamed: tuple[SkillRename, ...] = Field(
        default=(),
        max_length=MAX_TAXONOMY_CHANGES,
        description="Skill ids renamed; consumers rewrite old to new.",
        examples=[[{"old_id": "k8s", "new_id": "kubernetes"}]],
    )
    deprecated: tuple[Id, ...] = Field(
        default=(),
        max_length=MAX_TAXONOMY_CHANGES,
        description="Skill ids no longer offered for new profiles.",
        examples=[["cobol"]],
    )
    skills: tuple[Skill, ...] = Field(
        default=(),
        max_length=MAX_TAXONOMY_CHANGES,
        description="The added and renamed skills as they now are (cluster, category, "
        "tier, aliases), so consumers can place skills they have not seen.",
        examples=[
            [
                {
                    "id": "kubernetes",
                    "name": "Kubernetes",
                    "cluster": "technical",
                    "category": "platform",
                    "tier": "professional",
                    "aliases": ["k8s"],
                    "deprecated": False,
                }
            ]
        ],
    )


class ImportRole(StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"


class ImportStatus(StrEnum):
    DONE = "done"
    """Every row was handled: registered, skipped or rejected."""
    FAILED = "failed"
    """The import stopped early (its reason is in intake's job); the rows it registered
    stay registered."""


class ImportFinished(_ProgramEvent):
    """A bulk import into the program has handled its last row. Its registrations carry
    its id (`import_id`), so a consumer can hold them and handle the pool at once (the
    matcher places it with one batch run). It can arrive before some of those
    registrations (another topic): they are handled on their own as they come."""

    event_type: ClassVar[str] = "mentornet.import.finished.v1"
    program_id: Id = PROGRAM_ID
    import_id: Id = Field(
        description="The import (job id), as its registrations name it.",
        examples=["imp-5c1f0e2a9d3b4e6f"],
    )
    role: ImportRole = Field(description="Who the file registered.", examples=["mentee"])
    status: ImportStatus = Field(description="How the import ended.", examples=["done"])
    rows: int = Field(ge=0, le=1_000_000, description="Rows in the file.", examples=[5000])
    registered: int = Field(
        ge=0, le=1_000_000, description="Rows registered by this import.", examples=[4980]
    )
    skipped: int = Field(
        ge=0, le=1_000_000, description="Rows registered earlier (skipped).", examples=[12]
    )
    rejected: int = Field(
        ge=0, le=1_000_000, description="Rows refused for bad input.", examples=[8]
    )


def apply_update(program: dict[str, Any] | None, update: ProgramUpdated) -> dict[str, Any]:
    """A program's rules (as published, in JSON form) after an update: the fields the
    update sets replace the old ones, absent fields keep their value."""
    if program is None:
        raise UnknownEntity("program", update.program_id, "updated before it was published")
    return {**program, **update.model_dump(mode="json", exclude_none=True)}


EVENTS = (ProgramPublished, ProgramUpdated, TaxonomyUpdated, ImportFinished)
SUPERSEDED = (
    Superseded("mentornet.program.published.v1", ProgramPublished, BOUNDED),
    Superseded("mentornet.program.updated.v1", ProgramUpdated, BOUNDED),
    Superseded("mentornet.taxonomy.updated.v1", TaxonomyUpdated, BOUNDED),
)
