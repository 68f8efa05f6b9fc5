"""What the experiment routes take and answer (api/experiments.py).

Weights are keyed by plain strings here, so a signal the matcher does not know is
refused by the domain with the field path naming it (`arms[1].rule.weights.charisma`)."""

from __future__ import annotations

from typing import Annotated

from mentornet_contracts.events.common import Id
from mentornet_contracts.events.experiments import (
    MAX_ARMS,
    MAX_SAMPLE,
    ArmCount,
    ExperimentArm,
    StopReason,
    StopRule,
)
from mentornet_contracts.events.programs import MAX_WEIGHT, OutcomeMeasure, Weight
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from ..domain.experiments import ExperimentStatus

SignalName = Annotated[str, Field(min_length=1, max_length=64)]
MAX_SIGNALS = 16
"""More than the matcher's signals, so an unknown one gets its own refusal."""
EXAMPLE_ARMS: list[JsonValue] = [
    {
        "arm_id": "control",
        "rule": {
            "rule_id": "balanced",
            "version": 3,
            "weights": {
                "skills": 0.4,
                "availability": 0.25,
                "timezone": 0.1,
                "format": 0.1,
                "style": 0.1,
                "pace": 0.05,
                "channel": 0.05,
            },
        },
    },
    {
        "arm_id": "skills-first",
        "rule": {
            "rule_id": "skills-first",
            "version": 1,
            "weights": {"skills": 0.6, "availability": 0.2, "language": 0.2},
            "min_score": 0.3,
            "max_timezone_distance_h": 6,
        },
    },
]


class RuleBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule_id: Id = Field(description="Rule id.", examples=["skills-first"])
    version: int = Field(ge=1, le=1_000_000, description="Rule version.", examples=[1])
    weights: dict[SignalName, Weight] = Field(
        min_length=1,
        max_length=MAX_SIGNALS,
        description="Weight of each matching signal (skills, availability, timezone, format, "
        "style, channel, pace, language).",
        examples=[{"skills": 0.6, "availability": 0.2, "language": 0.2}],
    )
    min_score: float = Field(default=0.0, ge=0, le=1, description="Pairs below it never proposed.")
    max_timezone_distance_h: float | None = Field(
        default=None, ge=0, le=12, description="Pairs further apart never proposed."
    )


class ArmBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    arm_id: Id = Field(description="Arm id, unique within the experiment.", examples=["b"])
    rule: RuleBody


class StopRuleBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_sample_per_arm: int = Field(ge=5, le=MAX_SAMPLE, examples=[64])
    max_weeks: int = Field(ge=1, le=260, examples=[26])


class ArmsBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"arms": EXAMPLE_ARMS, "control_arm_id": "control"}]},
    )

    arms: list[ArmBody] = Field(min_length=2, max_length=MAX_ARMS)
    control_arm_id: Id = Field(description="The arm the others are compared with.")


class ExperimentBody(ArmsBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "experiment_id": "exp-skills-first-2030",
                    "name": "Skills first against the balanced rule",
                    "arms": EXAMPLE_ARMS,
                    "control_arm_id": "control",
                    "primary_outcome": "skill_growth",
                    "stop_rule": {"min_sample_per_arm": 64, "max_weeks": 26},
                    "seed": 20300115,
                    "max_group_gap": 0.5,
                }
            ]
        }
    )

    experiment_id: Id = Field(description="Experiment id.", examples=["exp-skills-first"])
    name: str = Field(min_length=1, max_length=200, examples=["Skills first"])
    primary_outcome: OutcomeMeasure = Field(
        description="The outcome the verdict is about; one the program collects."
    )
    stop_rule: StopRuleBody
    seed: int = Field(ge=0, le=2**32 - 1, description="Seed of the randomisation.")
    max_group_gap: float | None = Field(
        default=None, ge=0, le=MAX_WEIGHT, description="Fairness guardrail (none: QA's default)."
    )


class ExperimentView(BaseModel):
    experiment_id: str
    program_id: str
    name: str
    arms: list[ExperimentArm]
    control_arm_id: str
    primary_outcome: OutcomeMeasure
    stop_rule: StopRule
    seed: int
    max_group_gap: float | None = None
    defined_by: str
    starts_at: str
    status: ExperimentStatus = Field(description="running, or stopped (assigning no more).")
    stop_reason: StopReason | None = None
    stopped_at: str | None = None
    assigned: list[ArmCount] = Field(description="Mentees assigned to each arm.")
    assigned_per_stratum: dict[str, dict[str, int]] = Field(
        description="Stratum (segment) to mentees per arm."
    )
