"""A calibration as the coordinator sees it: each signal's proposed weight with its
uncertainty beside the current one, the expected effect, the backtest, and the proposal
as a MatchingRule body (rule "calibrated-<outcome>", the next version) to try as an
experiment's arm. Never applied by itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypedDict

import numpy as np
from mentornet_chassis.errors import Invalid
from mentornet_contracts.events.programs import OutcomeMeasure

from .backtest import Backtest
from .calibration import (
    MIN_MATCHES,
    SIGNALS,
    Pair,
    Uncertainty,
    bootstrap,
    design,
    expected_effect,
    fit,
    run_backtest,
    vector,
)
from .stats import Floats

NOTE = (
    "A proposal: fitted on the pairs that were chosen and ran, not on the pairs that "
    "were not, so it can mistake who gets chosen for what works. Try it as an "
    "experiment's arm against the current rule before adopting it."
)


class WeightEstimate(TypedDict):
    signal: str
    weight: float
    current: float
    sd: float
    ci: list[float]


class Effect(TypedDict):
    current: float
    new: float
    difference: float
    ci: list[float] | None


class Proposal(TypedDict):
    rule_id: str
    version: int
    weights: dict[str, float]
    min_score: float
    max_timezone_distance_h: float | None


class Calibration(TypedDict):
    program_id: str
    outcome: str
    matches: int
    pools: int
    weights: list[WeightEstimate]
    expected_effect: Effect
    backtest: Backtest
    proposal: Proposal
    note: str


def rule_id(outcome: OutcomeMeasure) -> str:
    return f"calibrated-{outcome.value}"


def _r(value: float) -> float:
    return round(float(value), 4)


def _enough(pairs: Sequence[Pair], outcome: OutcomeMeasure) -> list[Pair]:
    """The pairs in match-id order, or the refusal under MIN_MATCHES."""
    if len(pairs) < MIN_MATCHES:
        raise Invalid(
            "outcome",
            f"calibration needs at least {MIN_MATCHES} ended matches with signals and "
            f"{outcome.value}; the program has {len(pairs)}",
        )
    return sorted(pairs, key=lambda p: p.match_id)


def _seen(pairs: Sequence[Pair], current_weights: Mapping[str, float]) -> list[int]:
    """The signals the program weighs now or the pairs carry."""
    return [
        i
        for i, s in enumerate(SIGNALS)
        if s in current_weights or any(s in p.signals for p in pairs)
    ]


def _weights(
    new: Floats, current: Floats, spread: Uncertainty, seen: list[int]
) -> list[WeightEstimate]:
    return [
        WeightEstimate(
            signal=SIGNALS[i],
            weight=_r(new[i]),
            current=_r(current[i]),
            sd=_r(spread.sd[i]),
            ci=[_r(spread.low[i]), _r(spread.high[i])],
        )
        for i in seen
    ]


def _effect(chosen: tuple[float, float, float], effects: Floats) -> Effect:
    chosen_current, chosen_new, difference = chosen
    return Effect(
        current=_r(chosen_current),
        new=_r(chosen_new),
        difference=_r(difference),
        ci=[_r(v) for v in np.quantile(effects, [0.025, 0.975])] if effects.size else None,
    )


def _proposal(outcome: OutcomeMeasure, version: int, new: Floats, seen: list[int]) -> Proposal:
    return Proposal(
        rule_id=rule_id(outcome),
        version=version,
        weights={SIGNALS[i]: round(float(new[i]), 3) for i in seen if round(new[i], 3) > 0},
        min_score=0.0,
        max_timezone_distance_h=None,
    )


def calibrate(
    program_id: str,
    outcome: OutcomeMeasure,
    pairs: Sequence[Pair],
    current_weights: Mapping[str, float],
    next_version: int,
    rng: np.random.Generator,
) -> Calibration:
    ordered = _enough(pairs, outcome)
    x, y = design(ordered)
    pools = [p.pool for p in ordered]
    model = fit(x, y)
    new = model.weights
    if new is None:
        raise Invalid("outcome", f"no matching signal goes with higher {outcome.value}")
    current = vector(current_weights)
    spread = bootstrap(x, y, pools, current, rng)
    seen = _seen(ordered, current_weights)
    return Calibration(
        program_id=program_id,
        outcome=outcome.value,
        matches=len(ordered),
        pools=len(set(pools)),
        weights=_weights(new, current, spread, seen),
        expected_effect=_effect(expected_effect(model, x, pools, new, current), spread.effects),
        backtest=run_backtest(x, y, pools, current, outcome),
        proposal=_proposal(outcome, next_version, new, seen),
        note=NOTE,
    )
