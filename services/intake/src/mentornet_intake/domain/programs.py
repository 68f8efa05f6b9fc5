"""Programs: a coordinator drafts one, changes it, publishes it.

Published rules travel on program.published; later changes travel on program.updated
carrying only what changed. Eligibility stays in intake: it gates registration.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Self, TypedDict

from mentornet_chassis.errors import Conflict, Invalid
from mentornet_contracts.events.common import SessionFormat
from mentornet_contracts.events.programs import (
    MATCHING_SIGNALS,
    MAX_PAUSE_WEEKS,
    ApprovalMode,
    Cadence,
    ConflictRules,
    EscalationThresholds,
    OutcomeMeasure,
    ProgramPublished,
    ProgramTier,
    ProgramUpdated,
    Weight,
)
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .program_fields import (
    DEFAULT_WEIGHTS,
    Eligibility,
    SignalName,
    announced_outcomes,
    known_weights,
    once_each,
    outcomes_field,
)

EVENT_FIELDS = frozenset(ProgramUpdated.model_fields) - {"program_id"}


class ProgramStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


SpecDocument = dict[str, Any]
"""A ProgramSpec as JSON (model_dump(mode="json"))."""


class ProgramState(TypedDict):
    program_id: str
    status: ProgramStatus
    coordinators: list[str]
    """Who created the program (coordinators named for it in their token run it too)."""
    spec: SpecDocument


class ProgramConflict(Conflict):
    """The request is valid but clashes with the program's state."""

    def __init__(self, reason: str) -> None:
        super().__init__("status", reason)


class ProgramSpec(BaseModel):
    """A program's rules: the body of POST /programs."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Platform engineering mentoring",
                    "tier": "standard",
                    "cadence": {"sessions_per_month": 2, "session_minutes": 45},
                    "duration_weeks": 24,
                    "max_active_mentees_per_mentor": 3,
                    "approval_mode": "mentee_shortlist",
                    "matching_weights": {
                        "skills": 0.4,
                        "availability": 0.2,
                        "timezone": 0.1,
                        "format": 0.1,
                        "style": 0.1,
                        "language": 0.1,
                    },
                    "qa_sample_rate": 0.1,
                    "eligibility": {"org_units": ["platform", "payments"], "levels": []},
                    "max_pause_weeks": 4,
                    "outcome_measures": ["skill_growth", "goal_completion", "satisfaction"],
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=200)
    tier: ProgramTier
    cadence: Cadence
    duration_weeks: int = Field(ge=1, le=104)
    max_active_mentees_per_mentor: int = Field(default=3, ge=1, le=50)
    max_monthly_hours_per_mentor: float = Field(default=8.0, gt=0, le=160)
    approval_mode: ApprovalMode = ApprovalMode.MENTEE_SHORTLIST
    matching_weights: dict[SignalName, Weight] = Field(
        default_factory=lambda: dict(DEFAULT_WEIGHTS), max_length=len(MATCHING_SIGNALS)
    )
    conflict_rules: ConflictRules = ConflictRules(
        exclude_same_manager_line=True, exclude_same_org_unit=False
    )
    qa_sample_rate: float = Field(default=0.1, ge=0, le=1)
    escalation: EscalationThresholds = EscalationThresholds(
        missed_sessions_in_a_row=2,
        days_without_activity=21,
        low_rubric_average=2.5,
        days_to_accept_proposal=5,
    )
    eligibility: Eligibility = Eligibility()
    cohort_size: int | None = Field(default=None, ge=2, le=50)
    session_format: SessionFormat | None = Field(
        default=None,
        description="The format every match meets in; `async` makes each match a series of "
        "written check-ins. None: each pair's formats decide.",
    )
    max_pause_weeks: int = Field(
        default=4, ge=1, le=MAX_PAUSE_WEEKS, description="Longest pause a match may take."
    )
    outcome_measures: list[OutcomeMeasure] | None = outcomes_field(
        "The outcomes the program collects (experiments choose their primary outcome among "
        "them). None: every outcome."
    )

    @field_validator("outcome_measures")
    @classmethod
    def _outcomes_once(cls, measures: list[OutcomeMeasure] | None) -> list[OutcomeMeasure] | None:
        return once_each(measures)

    @field_validator("matching_weights")
    @classmethod
    def _known_signals(cls, weights: dict[str, float]) -> dict[str, float]:
        return known_weights(weights)

    @model_validator(mode="after")
    def _cohort_needs_a_size(self) -> Self:
        if self.tier is ProgramTier.COHORT and self.cohort_size is None:
            raise ValueError("cohort_size is required for a cohort program")
        if self.tier is not ProgramTier.COHORT and self.cohort_size is not None:
            raise ValueError("cohort_size applies only to cohort programs")
        return self


class ProgramPatch(BaseModel):
    """The body of PATCH /programs/{id}: only the fields to change."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "cadence": {"sessions_per_month": 1, "session_minutes": 60},
                    "duration_weeks": 26,
                    "qa_sample_rate": 0.2,
                }
            ]
        },
    )

    name: str | None = Field(default=None, min_length=1, max_length=200)
    cadence: Cadence | None = None
    duration_weeks: int | None = Field(default=None, ge=1, le=104)
    max_active_mentees_per_mentor: int | None = Field(default=None, ge=1, le=50)
    max_monthly_hours_per_mentor: float | None = Field(default=None, gt=0, le=160)
    approval_mode: ApprovalMode | None = None
    matching_weights: dict[SignalName, Weight] | None = Field(
        default=None, max_length=len(MATCHING_SIGNALS)
    )
    conflict_rules: ConflictRules | None = None
    qa_sample_rate: float | None = Field(default=None, ge=0, le=1)
    escalation: EscalationThresholds | None = None
    eligibility: Eligibility | None = None
    cohort_size: int | None = Field(default=None, ge=2, le=50)
    session_format: SessionFormat | None = Field(
        default=None, description="Null leaves the format to each pair (drafts only)."
    )
    max_pause_weeks: int | None = Field(default=None, ge=1, le=MAX_PAUSE_WEEKS)
    outcome_measures: list[OutcomeMeasure] | None = outcomes_field(
        "The outcomes the program collects from now on. Null: every outcome."
    )

    @field_validator("outcome_measures")
    @classmethod
    def _outcomes_once(cls, measures: list[OutcomeMeasure] | None) -> list[OutcomeMeasure] | None:
        return once_each(measures)


def draft(spec: ProgramSpec, program_id: str, coordinator: str) -> ProgramState:
    return {
        "program_id": program_id,
        "status": ProgramStatus.DRAFT,
        "coordinators": [coordinator],
        "spec": spec.model_dump(mode="json"),
    }


def change(state: ProgramState, patch: ProgramPatch) -> tuple[ProgramState, ProgramUpdated | None]:
    """Apply a patch; re-validate the whole spec; say what changed if already published."""
    changes = patch.model_dump(mode="json", exclude_unset=True)
    spec = ProgramSpec.model_validate({**state["spec"], **changes})
    new_spec = spec.model_dump(mode="json")
    changed = {k: v for k, v in new_spec.items() if state["spec"].get(k) != v}
    _can_announce(state, changed)
    new_state: ProgramState = {**state, "spec": new_spec}
    event_fields = announced_outcomes({k: v for k, v in changed.items() if k in EVENT_FIELDS})
    if state["status"] != ProgramStatus.PUBLISHED or not event_fields:
        return new_state, None
    return new_state, ProgramUpdated(program_id=state["program_id"], **event_fields)


def _can_announce(state: ProgramState, changed: dict[str, Any]) -> None:
    """program.updated says "unchanged" by leaving a field out, so it cannot tell the
    other services that a published program's format was removed."""
    removed = "session_format" in changed and changed["session_format"] is None
    if state["status"] == ProgramStatus.PUBLISHED and removed:
        raise Invalid(
            "session_format",
            "a published program's session format can be changed but not removed",
        )


def publish(state: ProgramState) -> tuple[ProgramState, ProgramPublished]:
    if state["status"] == ProgramStatus.PUBLISHED:
        raise ProgramConflict("program is already published")
    spec = {k: v for k, v in state["spec"].items() if k != "eligibility"}
    event = ProgramPublished(
        program_id=state["program_id"], coordinator_ids=tuple(state["coordinators"]), **spec
    )
    return {**state, "status": ProgramStatus.PUBLISHED}, event
