"""What the experiment results and calibration routes answer (the domain's TypedDicts,
as documented models)."""

from __future__ import annotations

from mentornet_contracts.events.programs import OutcomeMeasure
from pydantic import BaseModel, ConfigDict, Field


class ArmView(BaseModel):
    arm_id: str
    rule_id: str | None
    rule_version: int | None
    control: bool
    assigned: int = Field(description="Mentees assigned to the arm.")
    n: int = Field(description="Of them, those with a value of the primary outcome.")
    mean: float | None
    sd: float | None
    ci: list[float] | None = Field(description="95% t interval of the mean.")


class VsControlView(BaseModel):
    arm_id: str
    control_arm_id: str
    difference: float | None = Field(description="Arm mean minus control mean.")
    ci: list[float] | None = Field(
        description="95% percentile bootstrap interval of the difference (2000 resamples, "
        "seeded from the experiment's seed)."
    )
    effect_size: float | None = Field(description="Cohen's d.")
    p_value: float | None = Field(description="Welch's two-sided t test.")
    finding: str = Field(description="better, worse, no_difference or too_few.")


class AttributeGapView(BaseModel):
    attribute: str
    gap: float | None
    best_group: str | None
    worst_group: str | None
    control_gap: float | None
    excess: float | None
    crossed: bool


class GuardrailView(BaseModel):
    arm_id: str
    max_group_gap: float
    checked: bool
    crossed: bool
    attributes: list[AttributeGapView]


class ResultsView(BaseModel):
    experiment_id: str
    program_id: str
    name: str
    primary_outcome: OutcomeMeasure
    control_arm_id: str
    status: str = Field(
        description="complete (every arm has min_sample_per_arm values, or assignment "
        "stopped and no assigned mentee still waits for a value) or collecting."
    )
    assignment: str = Field(description="running or stopped.")
    stop_reason: str | None = Field(
        description="sample_reached, time_limit or coordinator, once stopped."
    )
    min_sample_per_arm: int
    smallest_arm: int
    waiting: int | None = Field(
        description="Assigned mentees still waiting for a value (not matched yet, or in a "
        "match that has not ended)."
    )
    below_planned_size: bool = Field(
        description="Complete with an arm under min_sample_per_arm values (the verdict "
        "gives the power that leaves)."
    )
    detectable_effect_size: float | None = Field(
        description="The Cohen's d the smallest arm detects with 80% power at alpha 0.05."
    )
    arms: list[ArmView]
    comparisons: list[VsControlView]
    guardrails: list[GuardrailView]
    verdict: str = Field(
        examples=[
            "B better on skill growth by 0.4 points, 95% CI 0.1-0.7; no fairness guardrail crossed"
        ]
    )


class CalibrationRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"outcome": "skill_growth"}]}
    )

    outcome: OutcomeMeasure = Field(description="The outcome to calibrate the weights to.")


class WeightView(BaseModel):
    signal: str
    weight: float = Field(description="Proposed weight (the weights sum to 1).")
    current: float = Field(description="The program's weight now, normalised.")
    sd: float = Field(description="Bootstrap standard deviation of the proposed weight.")
    ci: list[float] = Field(description="95% bootstrap interval of the proposed weight.")


class EffectView(BaseModel):
    current: float
    new: float
    difference: float
    ci: list[float] | None


class PoolView(BaseModel):
    pool: str
    pairs: int
    went_well: int
    auc_new: float | None
    auc_current: float | None
    top_half_new: float | None
    top_half_current: float | None


class BacktestView(BaseModel):
    pools: list[PoolView]
    auc_new: float | None
    auc_current: float | None
    top_half_new: float | None
    top_half_current: float | None


class ProposalView(BaseModel):
    rule_id: str
    version: int
    weights: dict[str, float]
    min_score: float
    max_timezone_distance_h: float | None


class CalibrationView(BaseModel):
    program_id: str
    outcome: OutcomeMeasure
    matches: int
    pools: int
    weights: list[WeightView]
    expected_effect: EffectView
    backtest: BacktestView
    proposal: ProposalView = Field(
        description="A MatchingRule body to try as an experiment's arm; never applied."
    )
    note: str
