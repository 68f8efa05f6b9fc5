"""The fairness guardrail of an experiment's arm: within the arm, the gap on the primary
outcome between the best and the worst consented group (of 5 mentees or more) of each
fairness attribute; the arm crosses it when its gap exceeds the control's gap on the
same attribute by more than `max_group_gap` (the experiment's, else 0.5 on the 1-5
scales and skill growth, 0.10 on shares)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from mentornet_contracts.events.programs import OutcomeMeasure

from .experiment_docs import Experiment

if TYPE_CHECKING:
    from .experiment_analysis import Observation

MIN_GROUP = 5
SHARES = frozenset(
    {OutcomeMeasure.GOAL_COMPLETION, OutcomeMeasure.WOULD_RECOMMEND, OutcomeMeasure.RETENTION}
)
"""Outcomes that are shares (0-1): their gaps are in proportions."""
SCALE_GAP = 0.5
SHARE_GAP = 0.10


def default_gap(outcome: OutcomeMeasure) -> float:
    return SHARE_GAP if outcome in SHARES else SCALE_GAP


class AttributeGap(TypedDict):
    attribute: str
    gap: float | None
    """Best minus worst group mean in the arm (None: fewer than 2 groups of 5)."""
    best_group: str | None
    worst_group: str | None
    control_gap: float | None
    excess: float | None
    """gap - control_gap, when both are known."""
    crossed: bool


class ArmGuardrail(TypedDict):
    arm_id: str
    max_group_gap: float
    checked: bool
    """At least one attribute had 2 groups of 5 in both this arm and the control."""
    crossed: bool
    attributes: list[AttributeGap]


@dataclass(frozen=True)
class Gap:
    best: str
    worst: str
    size: float


def gaps(seen: Sequence[Observation]) -> dict[str, Gap]:
    """Per attribute, the gap between its best and worst group of MIN_GROUP or more."""
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for one in seen:
        for attribute, group in one.groups.items():
            values[attribute][group].append(one.value)
    found = {}
    for attribute, groups in sorted(values.items()):
        means = {g: sum(v) / len(v) for g, v in sorted(groups.items()) if len(v) >= MIN_GROUP}
        if len(means) >= 2:
            best = max(means, key=lambda g: means[g])
            worst = min(means, key=lambda g: means[g])
            found[attribute] = Gap(best, worst, means[best] - means[worst])
    return found


def _attribute(attribute: str, arm: Gap | None, control: Gap | None, limit: float) -> AttributeGap:
    excess = arm.size - control.size if arm is not None and control is not None else None
    return AttributeGap(
        attribute=attribute,
        gap=round(arm.size, 4) if arm else None,
        best_group=arm.best if arm else None,
        worst_group=arm.worst if arm else None,
        control_gap=round(control.size, 4) if control else None,
        excess=round(excess, 4) if excess is not None else None,
        crossed=excess is not None and excess > limit + 1e-9,
    )


def guardrails(
    experiment: Experiment, seen: Sequence[Observation], outcome: OutcomeMeasure
) -> list[ArmGuardrail]:
    """The guardrail of every arm but the control."""
    limit = experiment["max_group_gap"]
    limit = default_gap(outcome) if limit is None else float(limit)
    control_id = experiment["control_arm_id"]
    control = gaps([o for o in seen if o.arm_id == control_id])
    found = []
    for arm in experiment["arms"]:
        if arm["arm_id"] == control_id:
            continue
        mine = gaps([o for o in seen if o.arm_id == arm["arm_id"]])
        attributes = [
            _attribute(a, mine.get(a), control.get(a), limit) for a in sorted({*mine, *control})
        ]
        found.append(
            ArmGuardrail(
                arm_id=arm["arm_id"],
                max_group_gap=limit,
                checked=any(a["excess"] is not None for a in attributes),
                crossed=any(a["crossed"] for a in attributes),
                attributes=attributes,
            )
        )
    return found
