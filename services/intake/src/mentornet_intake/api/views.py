"""What intake's routes answer: one model per answer, so the OpenAPI document
describes the real bodies.

Participant answers leave out what the participant does not have (an erased one keeps
three keys): their routes set `response_model_exclude_unset`, so no absent key shows
up as null.
"""

from __future__ import annotations

from mentornet_contracts.events.common import SessionFormat
from mentornet_contracts.events.programs import ApprovalMode, OutcomeMeasure, ProgramTier
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from ..domain.bulk import RoleName
from ..domain.import_job import JobStatus, RowKind
from ..domain.participant import ParticipantStatus
from ..domain.programs import ProgramStatus
from ..domain.skills import Skill

Json = dict[str, JsonValue]


class ConsentView(BaseModel):
    version: str
    accepted_at: str


class DiversityView(BaseModel):
    consent: ConsentView
    attributes: dict[str, str]


class ParticipantView(BaseModel):
    """A participant as the caller may see them (never the e-mail key; self-identified
    attributes only to the person themself)."""

    participant_id: str
    program_id: str
    status: ParticipantStatus
    roles: list[str] = []
    profiles: dict[str, Json] = {}
    """Per role: the registration's fields as since changed."""
    person_id: str | None = None
    display_name: str | None = None
    email: str | None = None
    consent: ConsentView | None = None
    consents: dict[str, ConsentView] = {}
    level: str | None = None
    diversity: DiversityView | None = None
    account: str | None = None
    linked: list[str] = []
    withdrawal_reason: str | None = None


class Registered(BaseModel):
    participant_id: str
    roles: list[str]
    event_id: str
    correlation_id: str


class Withdrawn(BaseModel):
    participant_id: str
    status: ParticipantStatus


class Erased(BaseModel):
    participant_id: str
    status: ParticipantStatus
    erased: list[str]
    """Every enrolment erased (all the person's, when they asked themself)."""


class DiversityWithdrawn(BaseModel):
    participant_id: str
    diversity: DiversityView | None


class PersonView(BaseModel):
    subject: str
    person_id: str
    enrolments: list[ParticipantView]


class Linked(BaseModel):
    subject: str
    person_id: str
    linked: bool


class ContactView(BaseModel):
    """How to reach a participant, for a service about to tell them something: these
    four fields and never more (domain/contact.py)."""

    participant_id: str
    email: str = Field(description="The address to write to.")
    display_name: str = Field(description="The name to greet them by.")
    time_zone: str | None = Field(
        description="IANA zone of their availability (their local times); null if none given."
    )


class CadenceView(BaseModel):
    sessions_per_month: int
    session_minutes: int


class ConflictRulesView(BaseModel):
    exclude_same_manager_line: bool
    exclude_same_org_unit: bool


class EscalationView(BaseModel):
    missed_sessions_in_a_row: int
    days_without_activity: int
    low_rubric_average: float
    days_to_accept_proposal: int


class EligibilityView(BaseModel):
    org_units: list[str] = []
    levels: list[str] = []


class ProgramView(BaseModel):
    """A program's rules (the keys of domain/programs.py's ProgramSpec) with its id,
    status and creator. An answer, not a request: it neither forbids nor checks keys, so
    a stored program the request model would refuse is still answered."""

    program_id: str
    status: ProgramStatus
    coordinators: list[str]
    name: str
    tier: ProgramTier
    cadence: CadenceView
    duration_weeks: int
    max_active_mentees_per_mentor: int
    max_monthly_hours_per_mentor: float
    approval_mode: ApprovalMode
    matching_weights: dict[str, float]
    conflict_rules: ConflictRulesView
    qa_sample_rate: float
    escalation: EscalationView
    eligibility: EligibilityView = EligibilityView()
    cohort_size: int | None = None
    session_format: SessionFormat | None = None
    max_pause_weeks: int = 4
    outcome_measures: list[OutcomeMeasure] | None = None
    """None: every outcome."""


class SkillListing(BaseModel):
    taxonomy_id: str
    version: int
    skills: list[Skill]


class CurationAnswer(BaseModel):
    taxonomy_id: str
    version: int
    changed: bool
    """False when the request changed nothing (deprecating a deprecated skill)."""
    skill: Skill


class Problem(BaseModel):
    field: str
    reason: str


class RegisteredRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    row: int
    participant_id: str


class SkippedRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    row: int
    reason: str


class RejectedRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    row: int
    errors: list[Problem]


class ImportAnswer(BaseModel):
    program_id: str
    role: RoleName
    rows: int
    registered: int
    skipped: int
    rejected: int
    correlation_id: str
    accepted_rows: list[RegisteredRow]
    skipped_rows: list[SkippedRow]
    rejected_rows: list[RejectedRow]


class JobView(BaseModel):
    job_id: str
    program_id: str
    role: RoleName
    status: JobStatus
    rows: int
    processed: int
    percent: float
    registered: int
    skipped: int
    rejected: int
    correlation_id: str
    created_at: str
    finished_at: str | None
    error: str | None


class JobRows(BaseModel):
    job_id: str
    outcome: RowKind
    offset: int
    rows: list[RegisteredRow | SkippedRow | RejectedRow]
