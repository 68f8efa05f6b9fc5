"""A program's outcome report: its mentees split into groups (the whole program, its
cohorts, its segments, or one fairness audit attribute, from consented groups only),
and per group each indicator's sample size, value and 95% interval (t for means, Wilson
for proportions, order statistics for medians). A group of fewer than 5 mentees shows
no figures, and neither does a figure resting on fewer than 5: each says why."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NotRequired, TypedDict

from mentornet_contracts.events.programs import OutcomeMeasure

from . import intervals
from .intervals import Estimate
from .outcome_report_facts import MENTOR_GROWTH, MenteeFacts

MIN_GROUP = 5
SUPPRESSED = f"fewer than {MIN_GROUP} mentees"
NO_COHORT = "no cohort"
UNSPECIFIED = "unspecified"
PLAIN = ("program", "cohort", "segment")
"""Splits that are not fairness audit attributes."""
PROPORTIONS = (OutcomeMeasure.WOULD_RECOMMEND, OutcomeMeasure.RETENTION)


class Figure(TypedDict):
    indicator: str
    statistic: str
    """`mean`, `median` or `proportion`."""
    n: int
    value: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: str | None
    reasons: NotRequired[dict[str, int]]
    """Early closures by reason code (early_closure_rate)."""


class Group(TypedDict):
    group: str
    mentees: int
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


@dataclass(frozen=True)
class Indicator:
    name: str
    statistic: str
    figure: Callable[[Sequence[MenteeFacts]], Estimate]


def _values(name: str) -> Callable[[Sequence[MenteeFacts]], list[float]]:
    return lambda people: [p.values[name] for p in people if name in p.values]


def _mean_of(name: str) -> Indicator:
    return Indicator(name, "mean", lambda people: intervals.mean(_values(name)(people)))


def _share_of(name: str) -> Indicator:
    return Indicator(name, "proportion", lambda people: intervals.proportion(_values(name)(people)))


def _median(name: str, pick: Callable[[MenteeFacts], float | None]) -> Indicator:
    def figure(people: Sequence[MenteeFacts]) -> Estimate:
        return intervals.median_interval([v for p in people if (v := pick(p)) is not None])

    return Indicator(name, "median", figure)


def _share(
    name: str, among: Callable[[MenteeFacts], bool], hit: Callable[[MenteeFacts], bool]
) -> Indicator:
    def figure(people: Sequence[MenteeFacts]) -> Estimate:
        return intervals.proportion([hit(p) for p in people if among(p)])

    return Indicator(name, "proportion", figure)


def _early_closure(people: Sequence[MenteeFacts]) -> Estimate:
    """Over ended matches: the share that closed early."""
    return intervals.proportion([e in p.early_ends for p in people for e in p.ends])


ACTIVITY = (
    _median("time_to_match_days", lambda p: p.days_to_match),
    _median("time_to_first_session_days", lambda p: p.days_to_first_session),
    Indicator("early_closure_rate", "proportion", _early_closure),
    _share("rematch_rate", lambda p: p.matched, lambda p: p.rematched),
    _share("invited_to_mentor", lambda p: bool(p.ends), lambda p: p.invited),
    _share("accepted_invitation", lambda p: p.invited, lambda p: p.accepted),
    _share("became_mentor", lambda p: p.invited, lambda p: p.became_mentor),
)


def indicators(collected: Sequence[OutcomeMeasure]) -> list[Indicator]:
    """The outcomes the program collects (in the contract's order), mentor-assessed
    growth with skill growth, then the activity facts every program has."""
    chosen = [m for m in OutcomeMeasure if m in collected]
    found = [_share_of(m) if m in PROPORTIONS else _mean_of(m) for m in chosen]
    if OutcomeMeasure.SKILL_GROWTH in chosen:
        found.append(_mean_of(MENTOR_GROWTH))
    return [*found, *ACTIVITY]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def figure(indicator: Indicator, people: Sequence[MenteeFacts], group_shown: bool) -> Figure:
    estimate = indicator.figure(people)
    shown = group_shown and estimate.n >= MIN_GROUP
    found = Figure(
        indicator=indicator.name,
        statistic=indicator.statistic,
        n=estimate.n,
        value=_round(estimate.value) if shown else None,
        ci_low=_round(estimate.low) if shown else None,
        ci_high=_round(estimate.high) if shown else None,
        suppressed=None if shown else SUPPRESSED,
    )
    if indicator.name == "early_closure_rate" and shown:
        reasons: dict[str, int] = {}
        for reason in (e for p in people for e in p.early_ends):
            reasons[reason] = reasons.get(reason, 0) + 1
        found["reasons"] = dict(sorted(reasons.items()))
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


def report(
    program_id: str, by: str, collected: Sequence[OutcomeMeasure], people: Sequence[MenteeFacts]
) -> Report:
    place = group_of(by, program_id)
    groups: dict[str, list[MenteeFacts]] = {}
    for person in people:
        if (name := place(person)) is not None:
            groups.setdefault(name, []).append(person)
    if by == "program":
        groups.setdefault(program_id, [])
    chosen = indicators(collected)
    shown: list[Group] = []
    for name, members in sorted(groups.items()):
        big_enough = len(members) >= MIN_GROUP
        shown.append(
            Group(
                group=name,
                mentees=len(members),
                suppressed=None if big_enough else SUPPRESSED,
                indicators=[figure(i, members, big_enough) for i in chosen],
            )
        )
    no_cohort = by == "cohort" and not any(p.cohort_id for p in people)
    return Report(
        program_id=program_id,
        by=by,
        outcome_measures=[str(m) for m in OutcomeMeasure if m in collected],
        min_group=MIN_GROUP,
        confidence=intervals.LEVEL,
        note="matches have no cohort" if no_cohort else None,
        groups=shown,
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
