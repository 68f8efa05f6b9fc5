"""What an experiment's analysis reads: one value of the primary outcome per mentee, from
the mentee's latest match proposed under the experiment, in the arm the mentee was
assigned to (intention to treat; the match's arm when no assignment arrived), with the
mentee's consented fairness groups."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from mentornet_contracts.events.programs import OutcomeMeasure

from .documents import Match, Person
from .experiment_analysis import Observation
from .experiment_docs import Assignment, Experiment
from .outcome_values import measures


def _recency(match: Match) -> tuple[bool, str, str, str]:
    """Confirmed matches after proposals that never were; then the latest."""
    confirmed = match.get("confirmed_at") or ""
    return (bool(confirmed), confirmed, match.get("proposed_at") or "", match["match_id"])


def latest_matches(experiment_id: str, matches: Iterable[Match]) -> dict[str, Match]:
    """Each mentee's latest match proposed under the experiment."""
    latest: dict[str, Match] = {}
    for match in matches:
        mentee = match.get("mentee_id")
        if match.get("experiment_id") != experiment_id or not mentee:
            continue
        if mentee not in latest or _recency(match) > _recency(latest[mentee]):
            latest[mentee] = match
    return latest


def observations(
    experiment: Experiment,
    assignments: Sequence[Assignment],
    matches: Iterable[Match],
    people: Mapping[str, Person],
) -> list[Observation]:
    outcome = OutcomeMeasure(experiment["primary_outcome"])
    arm_of = {a["mentee_id"]: a["arm_id"] for a in assignments}
    found = []
    for mentee_id, match in sorted(latest_matches(experiment["experiment_id"], matches).items()):
        person = people.get(mentee_id)
        value = measures(match, person).get(outcome)
        arm = arm_of.get(mentee_id) or match.get("arm_id")
        if value is None or not arm:
            continue
        groups = dict(person.get("groups") or {}) if person else {}
        found.append(Observation(mentee_id, arm, float(value), groups))
    return found
