"""The fairness audit: outcomes of a program's mentees broken down by the group
attributes they consented to share.

Metrics: match rate, days to a confirmed match, match score, rematch rate, early-
closure rate, rubric average (what the mentee said about their sessions). Groups of
fewer than `min_group` people are suppressed: no figures, and no count either. Each
figure is compared with the best group's (the highest where higher is better, the
lowest where lower is): a ratio under `min_ratio` (the four-fifths rule by default)
is flagged as a disparity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import NotRequired, TypedDict, cast

HIGHER_IS_BETTER = {
    "match_rate": True,
    "days_to_match": False,
    "match_score": True,
    "rematch_rate": False,
    "early_closure_rate": False,
    "rubric_average": True,
}


@dataclass(frozen=True)
class Outcome:
    """One mentee's outcomes."""

    groups: dict[str, str]
    matched: bool
    days_to_match: float | None = None
    match_score: float | None = None
    rematched: bool = False
    closed_early: bool = False
    rubric_average: float | None = None


@dataclass(frozen=True)
class Finding:
    metric: str
    group: str
    ratio: float


class GroupFigures(TypedDict):
    """One group's figures; a suppressed group shows none (and no count either)."""

    group: str
    suppressed: bool
    people: str
    match_rate: NotRequired[float | None]
    days_to_match: NotRequired[float | None]
    match_score: NotRequired[float | None]
    rematch_rate: NotRequired[float | None]
    early_closure_rate: NotRequired[float | None]
    rubric_average: NotRequired[float | None]


@dataclass
class AttributeAudit:
    attribute: str
    groups: list[GroupFigures] = field(default_factory=list)
    disparities: list[Finding] = field(default_factory=list)


def _metrics(outcomes: Sequence[Outcome]) -> dict[str, float | None]:
    matched = [o for o in outcomes if o.matched]

    def mean(values: list[float]) -> float | None:
        return round(fmean(values), 4) if values else None

    return {
        "match_rate": round(len(matched) / len(outcomes), 4),
        "days_to_match": mean([o.days_to_match for o in matched if o.days_to_match is not None]),
        "match_score": mean([o.match_score for o in matched if o.match_score is not None]),
        "rematch_rate": round(sum(o.rematched for o in matched) / len(matched), 4)
        if matched
        else None,
        "early_closure_rate": round(sum(o.closed_early for o in matched) / len(matched), 4)
        if matched
        else None,
        "rubric_average": mean(
            [o.rubric_average for o in outcomes if o.rubric_average is not None]
        ),
    }


RATES = ("match_rate", "rematch_rate", "early_closure_rate")
BANDS = ((10, "5-9"), (25, "10-24"), (50, "25-49"), (100, "50-99"))


def _ratio(metric: str, value: float, best: float) -> float:
    """How the group fares against the best group, 1 being as well. Rates where lower
    is better compare their complements (staying rather than rematching), so a best
    group at 0 does not make every other group a disparity."""
    if metric in RATES and not HIGHER_IS_BETTER[metric]:
        value, best = 1 - value, 1 - best
        return value / best if best else 1.0
    if HIGHER_IS_BETTER[metric]:
        return value / best if best else 1.0
    return best / value if value else 1.0


def band(people: int) -> str:
    """Group sizes as bands: with exact sizes a suppressed group's could be worked out
    by subtraction from the total."""
    return next((label for limit, label in BANDS if people < limit), "100 or more")


def audit_attribute(
    outcomes: Sequence[Outcome], attribute: str, min_group: int = 5, min_ratio: float = 0.8
) -> AttributeAudit:
    by_group: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        if attribute in outcome.groups:
            by_group.setdefault(outcome.groups[attribute], []).append(outcome)
    result = AttributeAudit(attribute)
    shown: dict[str, dict[str, float | None]] = {}
    for group, members in sorted(by_group.items()):
        if len(members) < min_group:
            result.groups.append(
                GroupFigures(group=group, suppressed=True, people=f"fewer than {min_group}")
            )
            continue
        shown[group] = _metrics(members)
        named = GroupFigures(group=group, suppressed=False, people=band(len(members)))
        result.groups.append(cast(GroupFigures, {**named, **shown[group]}))
    for metric, higher in HIGHER_IS_BETTER.items():
        values: dict[str, float] = {}
        for group, figures in shown.items():
            figure = figures[metric]
            if figure is not None:
                values[group] = figure
        if len(values) < 2:
            continue
        best = max(values.values()) if higher else min(values.values())
        for group, value in values.items():
            ratio = _ratio(metric, value, best)
            if ratio < min_ratio:
                result.disparities.append(Finding(metric, group, round(ratio, 4)))
    return result


def audit(
    outcomes: Sequence[Outcome], min_group: int = 5, min_ratio: float = 0.8
) -> list[AttributeAudit]:
    """One audit per attribute anybody shared."""
    attributes = sorted({a for o in outcomes for a in o.groups})
    return [audit_attribute(outcomes, a, min_group, min_ratio) for a in attributes]
