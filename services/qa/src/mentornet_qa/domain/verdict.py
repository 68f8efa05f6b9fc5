"""An experiment's verdict in plain words, e.g. "B better on skill growth by 0.4 points,
95% CI 0.1-0.7; no fairness guardrail crossed", "No difference shown ...", or "Too
early: 12 of 64 mentees per arm"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mentornet_contracts.events.programs import OutcomeMeasure

from .guardrail import SHARES, ArmGuardrail


@dataclass(frozen=True)
class ArmVerdict:
    arm_id: str
    difference: float | None
    ci: Sequence[float] | None
    sample: str = ""
    """What the comparison rests on, e.g. `(n = 9 of 12 assigned in A, 10 of 12 in B)`."""


def number(value: float, share: bool) -> str:
    """Points with one decimal (two under 0.1); shares as whole percentage points."""
    if share:
        return f"{value * 100:.0f}"
    return f"{value:.1f}" if abs(value) >= 0.095 else f"{value:.2f}"


def _unit(share: bool) -> str:
    return "percentage points" if share else "points"


def _finding(arm: ArmVerdict, control_id: str, outcome: OutcomeMeasure) -> str:
    said = _difference(arm, control_id, outcome)
    return f"{said} {arm.sample}" if arm.sample else said


def _difference(arm: ArmVerdict, control_id: str, outcome: OutcomeMeasure) -> str:
    label = outcome.value.replace("_", " ")
    share = outcome in SHARES
    if arm.difference is None or arm.ci is None:
        return f"No comparison of {arm.arm_id} with {control_id} on {label}: an arm has no values"
    low, high = arm.ci
    unit = _unit(share)
    if low > 0:
        size, ci = number(arm.difference, share), f"{number(low, share)}-{number(high, share)}"
        return f"{arm.arm_id} better on {label} by {size} {unit}, 95% CI {ci}"
    if high < 0:
        size, ci = number(-arm.difference, share), f"{number(-high, share)}-{number(-low, share)}"
        return f"{arm.arm_id} worse on {label} by {size} {unit}, 95% CI {ci}"
    sign = "+" if arm.difference >= 0 else ""
    return (
        f"No difference shown between {arm.arm_id} and {control_id} on {label}: "
        f"{sign}{number(arm.difference, share)} {unit}, "
        f"95% CI {number(low, share)} to {number(high, share)}"
    )


def _guardrail(guards: Sequence[ArmGuardrail], control_id: str, share: bool) -> str:
    crossed = [
        f"{g['arm_id']} on {a['attribute']} (gap {number(a['gap'] or 0, share)} against "
        f"{number(a['control_gap'] or 0, share)} in {control_id})"
        for g in guards
        for a in g["attributes"]
        if a["crossed"]
    ]
    if crossed:
        return "fairness guardrail crossed: " + ", ".join(crossed)
    if guards and not any(g["checked"] for g in guards):
        return (
            "fairness guardrail not checked (no fairness attribute with 2 groups of 5 in each arm)"
        )
    return "no fairness guardrail crossed"


def verdict(
    outcome: OutcomeMeasure,
    control_id: str,
    arms: Sequence[ArmVerdict],
    guards: Sequence[ArmGuardrail],
    early: str | None,
    note: str | None = None,
) -> str:
    """`early`: what the results wait for while collecting (domain/completion.py);
    `note`: what the sample means for the findings (below the planned size)."""
    if early is not None:
        return early
    findings = [_finding(arm, control_id, outcome) for arm in arms]
    guard = _guardrail(guards, control_id, outcome in SHARES)
    return "; ".join([*findings, guard, *([note] if note else [])])
