"""What QA's case and review routes answer. Keys a document gains along the way are
optional here, and the routes answer with `response_model_exclude_unset`, so an
answer carries exactly the keys its document has."""

from __future__ import annotations

from mentornet_contracts.events.qa import (
    EscalationAction,
    EscalationTrigger,
    Resolution,
    ReviewOutcome,
    Severity,
)
from pydantic import BaseModel, ConfigDict, Field

from ..domain import playbook
from ..domain.documents import CaseStatus, NudgeSide, SampleStatus
from ..domain.playbook import Playbook


class TriggerView(BaseModel):
    trigger: EscalationTrigger
    detail: str
    at: str


class NudgeView(BaseModel):
    """A nudge the notifier delivered for the case."""

    delivery_id: str
    who: NudgeSide = Field(description="Which of the pair it reached.")
    channel: str = Field(description="How it went out: email or webhook.")
    at: str


class CaseView(BaseModel):
    """An escalation case, with its match's pair."""

    case_id: str
    trigger: EscalationTrigger
    triggers: list[TriggerView]
    severity: Severity
    action: EscalationAction
    owner_id: str
    opened_at: str
    due_at: str
    status: CaseStatus
    triggers_seen: int | None = None
    breaches: int | None = None
    exhausted: bool | None = None
    awaiting_new_match: bool | None = None
    awaiting_resume: bool | None = Field(
        default=None, description="Its pause step paused the match: it waits for the resume."
    )
    resume_overdue: bool | None = Field(
        default=None,
        description="The match was due to resume and has not: the case rose once for it.",
    )
    nudges: list[NudgeView] | None = Field(
        default=None, description="Nudges delivered for it (its playbook's nudge step)."
    )
    resolution: Resolution | None = None
    resolved_at: str | None = None
    resolved_by: str | None = None
    note: str | None = None
    match_id: str
    program_id: str | None
    mentor_id: str | None
    mentee_id: str | None
    match_paused: bool = Field(default=False, description="The match is on hold now.")


class CaseList(BaseModel):
    program_id: str
    cases: list[CaseView]


class PlaybookView(Playbook):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"program_id": "prog-3f9c2a71b8d4", **playbook.EXAMPLE}]}
    )

    program_id: str


class ReviewView(BaseModel):
    reviewer_id: str
    rubric: dict[str, int]
    outcome: ReviewOutcome
    comment: str
    at: str


class SampleView(BaseModel):
    sample_id: str
    program_id: str
    period: str
    match_id: str
    session_id: str
    mentor_id: str
    mentee_id: str
    double: bool
    claims: list[str]
    reviews: list[ReviewView]
    status: SampleStatus
    format: str | None = Field(
        default=None, description="`async` when the sample is a written check-in."
    )
    claimed_at: str | None = None
    withdrawn_at: str | None = None
    withdrawn_because: str | None = None


class SampleList(BaseModel):
    program_id: str
    samples: list[SampleView]


class Gap(BaseModel):
    mean_gap: float


class AgreementView(BaseModel):
    program_id: str
    double_reviewed: int
    exact: float | None
    within_one: float | None
    outcome_agreement: float | None = None
    by_dimension: dict[str, Gap]


class ReplayView(BaseModel):
    sessions: int
    sampled: int
    closed: bool
    same_as_recorded: bool


class DecisionView(BaseModel):
    session_id: str
    match_id: str
    mentor_id: str
    mentee_id: str
    started_at: str
    mentor_since: str | None
    sampled: bool
    double: bool
    reason: str
    after_close: bool | None = None
    format: str | None = Field(
        default=None, description="`async` when the session is a written check-in."
    )


class PeriodView(BaseModel):
    program_id: str
    period: str
    seed: str
    replay: ReplayView
    decisions: list[DecisionView]
