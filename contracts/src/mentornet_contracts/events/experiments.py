"""Matching experiments, on mentornet.matches. Published by the matcher.

A coordinator compares two or more matching rules (arms) on a program's mentees: the
matcher assigns each new mentee to an arm by seeded randomisation, stratified by
segment, records it as an event, and matches the mentee with that arm's rule. QA
analyses the arms on the primary outcome chosen in advance (docs/outcomes.md).
A definition and a stop are keyed by program id; an assignment by mentee id, on the
same partition as that mentee's proposals but not necessarily before them (they are
written from different documents): a proposal names its experiment and arm itself.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field

from ..event import Event
from .common import Id, Label, Subject, Value
from .programs import OutcomeMeasure, Weight, Weights

EXPERIMENT_ID = Field(description="Experiment id.", examples=["exp-skills-first"])
PROGRAM_ID = Field(description="Program the experiment runs in.", examples=["prog-eng-2027"])
MAX_ARMS = 6
MAX_SAMPLE = 100_000
WEIGHTS_EXAMPLE = {"skills": 0.6, "availability": 0.2, "timezone": 0.1, "language": 0.1}

ARMS_EXAMPLE = [
    {"arm_id": "a", "rule": {"rule_id": "program", "version": 1, "weights": {"skills": 0.4}}},
    {"arm_id": "b", "rule": {"rule_id": "skills-first", "version": 1, "weights": WEIGHTS_EXAMPLE}},
]


class MatchingRule(Value):
    """A versioned matching rule: signal weights, a score threshold, constraints."""

    rule_id: Id = Field(description="Rule id.", examples=["skills-first"])
    version: int = Field(ge=1, description="Rule version.", examples=[2])
    weights: Weights = Field(
        min_length=1,
        description="Weight of each matching signal in the score.",
        examples=[WEIGHTS_EXAMPLE],
    )
    min_score: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="Pairs scoring below it are never proposed.",
        examples=[0.4],
    )
    max_timezone_distance_h: float | None = Field(
        default=None,
        ge=0,
        le=12,
        description="Pairs further apart in UTC offset are never proposed (none: no limit).",
        examples=[4],
    )


class ExperimentArm(Value):
    arm_id: Id = Field(description="Arm id, unique within the experiment.", examples=["b"])
    rule: MatchingRule = Field(
        description="The rule the arm's mentees are matched with.",
        examples=[{"rule_id": "skills-first", "version": 1, "weights": WEIGHTS_EXAMPLE}],
    )


class StopRule(Value):
    """Assignment stops when every arm has `min_sample_per_arm` mentees or after
    `max_weeks`, whichever comes first (or when a coordinator stops it)."""

    min_sample_per_arm: int = Field(
        ge=5, le=MAX_SAMPLE, description="Mentees each arm needs.", examples=[64]
    )
    max_weeks: int = Field(
        ge=1, le=260, description="Longest the experiment assigns, in weeks.", examples=[26]
    )


class StopReason(StrEnum):
    SAMPLE_REACHED = "sample_reached"
    TIME_LIMIT = "time_limit"
    COORDINATOR = "coordinator"


class ArmCount(Value):
    arm_id: Id = Field(description="The arm.", examples=["a"])
    mentees: int = Field(ge=0, description="Mentees assigned to it.", examples=[64])


class ExperimentDefined(Event):
    event_type: ClassVar[str] = "mentornet.experiment.defined.v1"
    key_field: ClassVar[str] = "program_id"
    experiment_id: Id = EXPERIMENT_ID
    program_id: Id = PROGRAM_ID
    name: str = Field(
        min_length=1, max_length=200, description="What is compared.", examples=["Skills first"]
    )
    arms: tuple[ExperimentArm, ...] = Field(
        min_length=2,
        max_length=MAX_ARMS,
        description="The rules compared.",
        examples=[ARMS_EXAMPLE],
    )
    control_arm_id: Id = Field(description="The arm the others are compared with.", examples=["a"])
    primary_outcome: OutcomeMeasure = Field(
        description="The outcome the verdict is about, chosen in advance.",
        examples=["skill_growth"],
    )
    stop_rule: StopRule = Field(
        description="When assignment stops.",
        examples=[{"min_sample_per_arm": 64, "max_weeks": 26}],
    )
    seed: int = Field(
        ge=0, le=2**32 - 1, description="Seed of the randomisation.", examples=[20270101]
    )
    max_group_gap: Weight | None = Field(
        default=None,
        description="Fairness guardrail: the most an arm may widen the gap between fairness "
        "groups on the primary outcome, beyond the control's gap (none: QA's default for the "
        "outcome).",
        examples=[0.5],
    )
    defined_by: Subject = Field(description="Coordinator who defined it.", examples=["coord-1"])
    starts_at: AwareDatetime = Field(
        description="When assignment began, UTC.", examples=["2027-01-04T09:00:00Z"]
    )


class ExperimentArmAssigned(Event):
    event_type: ClassVar[str] = "mentornet.experiment.arm.assigned.v1"
    key_field: ClassVar[str] = "mentee_id"
    experiment_id: Id = EXPERIMENT_ID
    program_id: Id = PROGRAM_ID
    mentee_id: Id = Field(description="Mentee assigned (the record key).", examples=["p-7f3a"])
    arm_id: Id = Field(description="The arm.", examples=["b"])
    stratum: Label = Field(
        description="The mentee's segment the randomisation was stratified by "
        "(`unspecified` without one).",
        examples=["new-manager"],
    )
    rule_id: Id = Field(description="The arm's rule.", examples=["skills-first"])
    rule_version: int = Field(ge=1, description="The arm's rule version.", examples=[1])


class ExperimentStopped(Event):
    event_type: ClassVar[str] = "mentornet.experiment.stopped.v1"
    key_field: ClassVar[str] = "program_id"
    experiment_id: Id = EXPERIMENT_ID
    program_id: Id = PROGRAM_ID
    reason: StopReason = Field(description="Why assignment stopped.", examples=["sample_reached"])
    assigned: tuple[ArmCount, ...] = Field(
        max_length=MAX_ARMS,
        description="Mentees assigned to each arm.",
        examples=[[{"arm_id": "a", "mentees": 64}, {"arm_id": "b", "mentees": 64}]],
    )


EVENTS = (ExperimentDefined, ExperimentArmAssigned, ExperimentStopped)
