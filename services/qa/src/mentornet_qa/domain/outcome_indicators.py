"""The outcome report's indicators: the outcomes a program collects (means, or shares
for would_recommend and retention), mentor-assessed growth beside skill growth, and the
activity facts every program has (medians of days, shares of matches and mentees)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mentornet_contracts.events.programs import OutcomeMeasure

from . import intervals
from .intervals import Estimate
from .outcome_report_facts import MENTOR_GROWTH, MenteeFacts

PROPORTIONS = (OutcomeMeasure.WOULD_RECOMMEND, OutcomeMeasure.RETENTION)
EARLY_CLOSURE = "early_closure_rate"


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
    Indicator(EARLY_CLOSURE, "proportion", _early_closure),
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
