"""The shapes of an experiment's results (domain/experiment_analysis.py computes them;
GET /programs/{program_id}/experiments/{experiment_id}/results answers them)."""

from __future__ import annotations

from typing import TypedDict

from .guardrail import ArmGuardrail


class ArmResult(TypedDict):
    arm_id: str
    rule_id: str | None
    rule_version: int | None
    control: bool
    assigned: int
    """Mentees assigned to the arm (experiment.arm.assigned)."""
    n: int
    """Of them, those with a value of the primary outcome."""
    mean: float | None
    sd: float | None
    ci: list[float] | None


class VsControl(TypedDict):
    arm_id: str
    control_arm_id: str
    difference: float | None
    ci: list[float] | None
    effect_size: float | None
    p_value: float | None
    finding: str
    """better, worse, no_difference, or too_few (an arm without values)."""


class Results(TypedDict):
    experiment_id: str
    program_id: str
    name: str
    primary_outcome: str
    control_arm_id: str
    status: str
    """complete (every arm has min_sample_per_arm values, or assignment stopped and no
    assigned mentee still waits for a value) or collecting."""
    assignment: str
    """running, or stopped (assignment stopped; outcomes keep arriving)."""
    stop_reason: str | None
    min_sample_per_arm: int
    smallest_arm: int
    waiting: int | None
    """Assigned mentees still waiting for a value (None: not known)."""
    below_planned_size: bool
    """Complete with an arm under min_sample_per_arm values."""
    detectable_effect_size: float | None
    """The Cohen's d the smallest arm's n detects with 80% power at alpha 0.05."""
    arms: list[ArmResult]
    comparisons: list[VsControl]
    guardrails: list[ArmGuardrail]
    verdict: str
