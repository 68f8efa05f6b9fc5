"""An experiment's results on its primary outcome: per arm n, mean, sd and 95% t
interval; each arm against the control (difference, bootstrap interval, Cohen's d,
Welch p); the fairness guardrail per arm; the status and the verdict in plain words
(docs/outcomes.md). Pure: the observations and the seeded Generator come from the
caller, so the same data give the same results every time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from mentornet_contracts.events.programs import OutcomeMeasure

from . import stats
from .completion import Progress, Status, sample_note, sample_size, status, too_early
from .experiment_docs import Experiment
from .experiment_results import ArmResult, Results, VsControl
from .guardrail import ArmGuardrail, guardrails
from .verdict import ArmVerdict, verdict


@dataclass(frozen=True)
class Observation:
    """One mentee's value of the primary outcome, in the arm they were assigned to,
    with their consented fairness groups (attribute -> group)."""

    mentee_id: str
    arm_id: str
    value: float
    groups: dict[str, str] = field(default_factory=dict)


def _rounded(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def _arm(experiment: Experiment, arm_id: str, values: Sequence[float], assigned: int) -> ArmResult:
    rule = next((a["rule"] for a in experiment["arms"] if a["arm_id"] == arm_id), {})
    summary = stats.summary(values)
    version = rule.get("version")
    return ArmResult(
        arm_id=arm_id,
        rule_id=str(rule["rule_id"]) if "rule_id" in rule else None,
        rule_version=version if isinstance(version, int) else None,
        control=arm_id == experiment["control_arm_id"],
        assigned=assigned,
        n=summary.n,
        mean=_rounded(summary.mean),
        sd=_rounded(summary.sd),
        ci=[round(v, 4) for v in summary.ci] if summary.ci else None,
    )


def _versus(
    control_id: str,
    arm_id: str,
    control: Sequence[float],
    treated: Sequence[float],
    rng: np.random.Generator,
) -> VsControl:
    if not control or not treated:
        return VsControl(
            arm_id=arm_id,
            control_arm_id=control_id,
            difference=None,
            ci=None,
            effect_size=None,
            p_value=None,
            finding="too_few",
        )
    found = stats.compare(control, treated, rng)
    low, high = found.ci
    finding = "better" if low > 0 else "worse" if high < 0 else "no_difference"
    return VsControl(
        arm_id=arm_id,
        control_arm_id=control_id,
        difference=round(found.difference, 4),
        ci=[round(low, 4), round(high, 4)],
        effect_size=_rounded(found.effect_size),
        p_value=float(f"{found.p_value:.3g}"),
        finding=finding,
    )


def by_arm(experiment: Experiment, seen: Sequence[Observation]) -> dict[str, list[float]]:
    """Each arm's values, in the arms' order, each in mentee-id order (so a resample
    with the same seed draws the same mentees)."""
    arms: dict[str, list[float]] = {a["arm_id"]: [] for a in experiment["arms"]}
    for one in sorted(seen, key=lambda o: o.mentee_id):
        if one.arm_id in arms:
            arms[one.arm_id].append(one.value)
    return arms


def _comparisons(
    experiment: Experiment, values: Mapping[str, Sequence[float]], rng: np.random.Generator
) -> list[VsControl]:
    control_id = experiment["control_arm_id"]
    return [
        _versus(control_id, arm_id, values.get(control_id, []), arm_values, rng)
        for arm_id, arm_values in values.items()
        if arm_id != control_id
    ]


def _verdict(
    experiment: Experiment,
    values: Mapping[str, Sequence[float]],
    comparisons: Sequence[VsControl],
    guards: Sequence[ArmGuardrail],
    progress: Progress,
) -> tuple[Status, str]:
    found = status(experiment, values, progress)
    control_id = experiment["control_arm_id"]
    arms = [
        ArmVerdict(
            c["arm_id"],
            c["difference"],
            c["ci"],
            sample_size(control_id, c["arm_id"], values, progress),
        )
        for c in comparisons
    ]
    outcome = OutcomeMeasure(experiment["primary_outcome"])
    early = None if found.complete else too_early(found)
    return found, verdict(outcome, control_id, arms, guards, early, sample_note(found))


def analyse(
    experiment: Experiment,
    seen: Sequence[Observation],
    rng: np.random.Generator,
    progress: Progress | None = None,
) -> Results:
    """The results; `rng` draws the bootstrap resamples, arm after arm; `progress`:
    mentees assigned per arm and how many still wait for a value (domain/completion.py)."""
    progress = progress or Progress()
    values = by_arm(experiment, seen)
    comparisons = _comparisons(experiment, values, rng)
    guards = guardrails(experiment, seen, OutcomeMeasure(experiment["primary_outcome"]))
    found, said = _verdict(experiment, values, comparisons, guards, progress)
    return Results(
        experiment_id=experiment["experiment_id"],
        program_id=experiment["program_id"],
        name=experiment["name"],
        primary_outcome=experiment["primary_outcome"],
        control_arm_id=experiment["control_arm_id"],
        status="complete" if found.complete else "collecting",
        assignment=str(experiment["status"]),
        stop_reason=experiment["stopped"]["reason"] if "stopped" in experiment else None,
        min_sample_per_arm=found.wanted,
        smallest_arm=found.smallest,
        waiting=found.waiting,
        below_planned_size=found.below_plan,
        detectable_effect_size=stats.detectable_effect(found.smallest),
        arms=[_arm(experiment, a, v, progress.assigned.get(a, 0)) for a, v in values.items()],
        comparisons=comparisons,
        guardrails=guards,
        verdict=said,
    )
