"""What an experiment's analysis reads: one value of the primary outcome per mentee, from
the mentee's latest confirmed match proposed under the experiment, in the arm the
mentee was assigned to (intention to treat; the match's arm when no assignment
arrived), with the mentee's consented fairness groups; and how far collection has come
(mentees assigned per arm, and those still waiting for a value). A proposal never
confirmed is not a match that ran; an erased mentee (no longer among the program's
people, their assignment erased) is not counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from mentornet_contracts.events.programs import OutcomeMeasure

from .completion import Progress
from .documents import Match, MatchStatus, Person
from .experiment_analysis import Observation
from .experiment_docs import Assignment, Experiment
from .outcome_values import measures


def _recency(match: Match) -> tuple[str, str]:
    return (match.get("confirmed_at") or "", match["match_id"])


def latest_matches(experiment_id: str, matches: Iterable[Match]) -> dict[str, Match]:
    """Each mentee's latest confirmed match proposed under the experiment."""
    latest: dict[str, Match] = {}
    for match in matches:
        mentee = match.get("mentee_id")
        if match.get("experiment_id") != experiment_id or not mentee:
            continue
        if not match.get("confirmed_at"):
            continue
        if mentee not in latest or _recency(match) > _recency(latest[mentee]):
            latest[mentee] = match
    return latest


def live(assignments: Iterable[Assignment]) -> list[Assignment]:
    """The assignments of mentees not erased."""
    return [a for a in assignments if not a.get("erased")]


def _value(experiment: Experiment, match: Match, person: Person) -> float | None:
    value = measures(match, person).get(OutcomeMeasure(experiment["primary_outcome"]))
    return None if value is None else float(value)


def observations(
    experiment: Experiment,
    assignments: Sequence[Assignment],
    matches: Iterable[Match],
    people: Mapping[str, Person],
) -> list[Observation]:
    """`people`: the program's people by participant id (an erased mentee is not)."""
    arm_of = {a["mentee_id"]: a["arm_id"] for a in live(assignments)}
    erased = {a["mentee_id"] for a in assignments if a.get("erased")}
    found = []
    for mentee_id, match in sorted(latest_matches(experiment["experiment_id"], matches).items()):
        person = people.get(mentee_id)
        arm = arm_of.get(mentee_id) or match.get("arm_id")
        if person is None or mentee_id in erased or not arm:
            continue
        value = _value(experiment, match, person)
        if value is not None:
            found.append(Observation(mentee_id, arm, value, dict(person.get("groups") or {})))
    return found


def progress(
    experiment: Experiment,
    assignments: Sequence[Assignment],
    matches: Iterable[Match],
    seen: Sequence[Observation],
) -> Progress:
    """Mentees assigned per arm, and how many of them still wait for a value: not
    matched yet, or their latest match has not ended (one that ended without a value is
    a dropout)."""
    counted = live(assignments)
    latest = latest_matches(experiment["experiment_id"], matches)
    valued = {o.mentee_id for o in seen}
    waiting = sum(
        1
        for a in counted
        if a["mentee_id"] not in valued
        and ((match := latest.get(a["mentee_id"])) is None or match["status"] != MatchStatus.ENDED)
    )
    return Progress(Counter(a["arm_id"] for a in counted), waiting)
