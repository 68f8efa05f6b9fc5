"""A program's outcome report: its mentees split into groups (the whole program, its
cohorts, its segments, or one fairness audit attribute, from consented groups only),
and per group each indicator's sample size, value and 95% interval (t for means, Wilson
for proportions, order statistics for medians; domain/outcome_indicators.py). What
would show, or let anyone work out, a figure about fewer than 5 mentees is hidden and
says why (domain/outcome_suppression.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NotRequired, TypedDict

from mentornet_contracts.events.programs import OutcomeMeasure

from . import intervals
from .intervals import Estimate
from .outcome_indicators import EARLY_CLOSURE, Indicator, indicators
from .outcome_report_facts import MenteeFacts
from .outcome_suppression import MIN_GROUP, closure_reasons, hidden

NO_COHORT = "no cohort"
UNSPECIFIED = "unspecified"
PLAIN = ("program", "cohort", "segment")
"""Splits that are not fairness audit attributes."""


class Figure(TypedDict):
    indicator: str
    statistic: str
    """`mean`, `median` or `proportion`."""
    n: int | None
    """None when the figure is hidden."""
    value: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: str | None
    reasons: NotRequired[dict[str, int]]
    """Early closures by reason code, each 5 or more (early_closure_rate)."""


class Group(TypedDict):
    group: str
    mentees: int | None
    """None when the group is hidden."""
    suppressed: str | None
    indicators: list[Figure]


class Report(TypedDict):
    program_id: str
    by: str
    outcome_measures: list[str]
    min_group: int
    confidence: float
    note: str | None
    groups: list[Group]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def figure(
    indicator: Indicator, people: Sequence[MenteeFacts], estimate: Estimate, why: str | None
) -> Figure:
    """One group's figure; `why` it is hidden, if it is."""
    shown = why is None
    found = Figure(
        indicator=indicator.name,
        statistic=indicator.statistic,
        n=estimate.n if shown else None,
        value=_round(estimate.value) if shown else None,
        ci_low=_round(estimate.low) if shown else None,
        ci_high=_round(estimate.high) if shown else None,
        suppressed=why,
    )
    if indicator.name == EARLY_CLOSURE and shown:
        found["reasons"] = closure_reasons(e for p in people for e in p.early_ends)
    return found


def group_of(by: str, program_id: str) -> Callable[[MenteeFacts], str | None]:
    """Which group a mentee is in; None leaves them out (an attribute they did not
    consent to share)."""
    if by == "program":
        return lambda p: program_id
    if by == "cohort":
        return lambda p: p.cohort_id or NO_COHORT
    if by == "segment":
        return lambda p: p.segment or UNSPECIFIED
    return lambda p: p.groups.get(by)


def split(by: str, program_id: str, people: Sequence[MenteeFacts]) -> dict[str, list[MenteeFacts]]:
    place = group_of(by, program_id)
    groups: dict[str, list[MenteeFacts]] = {}
    for person in people:
        if (name := place(person)) is not None:
            groups.setdefault(name, []).append(person)
    if by == "program":
        groups.setdefault(program_id, [])
    return dict(sorted(groups.items()))


def _column(
    indicator: Indicator, groups: dict[str, list[MenteeFacts]], whole: dict[str, str]
) -> dict[str, Figure]:
    """One indicator across the groups, hidden where its groups are, where it rests on
    fewer than 5, and where that would let a hidden one be worked out."""
    estimates = {name: indicator.figure(members) for name, members in groups.items()}
    why = hidden({name: e.n for name, e in estimates.items()}, whole)
    return {
        name: figure(indicator, groups[name], estimate, why.get(name))
        for name, estimate in estimates.items()
    }


def groups_shown(
    groups: dict[str, list[MenteeFacts]], collected: Sequence[OutcomeMeasure]
) -> list[Group]:
    whole = hidden({name: len(members) for name, members in groups.items()})
    columns = [_column(i, groups, whole) for i in indicators(collected)]
    return [
        Group(
            group=name,
            mentees=None if name in whole else len(members),
            suppressed=whole.get(name),
            indicators=[column[name] for column in columns],
        )
        for name, members in groups.items()
    ]


def report(
    program_id: str, by: str, collected: Sequence[OutcomeMeasure], people: Sequence[MenteeFacts]
) -> Report:
    no_cohort = by == "cohort" and not any(p.cohort_id for p in people)
    return Report(
        program_id=program_id,
        by=by,
        outcome_measures=[str(m) for m in OutcomeMeasure if m in collected],
        min_group=MIN_GROUP,
        confidence=intervals.LEVEL,
        note="matches have no cohort" if no_cohort else None,
        groups=groups_shown(split(by, program_id, people), collected),
    )


CSV_COLUMNS = ("group", "indicator", "n", "value", "ci_low", "ci_high", "suppressed")


def rows(found: Report) -> list[dict[str, object]]:
    """The report as CSV rows: one per group and indicator."""
    return [
        {
            "group": g["group"],
            "indicator": f["indicator"],
            "n": f["n"],
            "value": f["value"],
            "ci_low": f["ci_low"],
            "ci_high": f["ci_high"],
            "suppressed": f["suppressed"],
        }
        for g in found["groups"]
        for f in g["indicators"]
    ]
