"""Matching experiments on the real broker: a coordinator defines an experiment with two
arms whose weights prefer different mentors; every mentee who registers is assigned an
arm (experiment.arm.assigned) before being matched, and their match.proposed carries
that arm and the mentor its weights prefer, with the pair's raw signals. Arms cannot
change once assignment began (409 with the counts); a stop announces experiment.stopped.
The team closes an active match with a reason (match.ended, no cause)."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

import pytest
from mentornet_contracts.catalogue import MATCHES
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.examples import program_published
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.support.events import events_of, person, publish
from tests.support.helpers import matcher_knows, token

pytestmark = pytest.mark.integration

ALL_WEEK = [
    {"weekday": d, "start": "00:00", "end": "24:00"}
    for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
]
BERLIN = {"timezone": "Europe/Berlin", "weekly": ALL_WEEK}
NEW_YORK = {"timezone": "America/New_York", "weekly": ALL_WEEK}
GOAL = [
    {"goal_id": "g1", "statement": "Grow", "target_skills": [{"skill_id": "python", "level": 4}]}
]


def rule(rule_id: str, weights: dict[str, float]) -> dict[str, Any]:
    return {"rule_id": rule_id, "version": 1, "weights": weights}


def experiment(experiment_id: str, **changes: Any) -> dict[str, Any]:
    """Arm `skills` prefers the python expert far away; arm `zone` the mentor next door."""
    return {
        "experiment_id": experiment_id,
        "name": "Skills or time zone first",
        "arms": [
            {"arm_id": "skills", "rule": rule("skills-only", {"skills": 1.0})},
            {"arm_id": "zone", "rule": rule("zone-only", {"timezone": 1.0})},
        ],
        "control_arm_id": "skills",
        "primary_outcome": "skill_growth",
        "stop_rule": {"min_sample_per_arm": 5, "max_weeks": 26},
        "seed": 20270101,
        **changes,
    }


def about(mentee_id: str, event: dict[str, Any]) -> bool:
    return bool(event["mentee_id"] == mentee_id)


async def program_known(matcher: RunningService, program_id: str, team: dict[str, str]) -> bool:
    seen = await matcher.http.get(f"/programs/{program_id}/matching-runs/latest", headers=team)
    return seen.status_code == 200


async def test_mentees_are_assigned_arms_and_matched_by_their_arm_rule(
    stack: Endpoints, matcher: RunningService, unique: str
) -> None:
    program_id = f"prog-{unique}"
    far, near = f"far-{unique}", f"near-{unique}"
    team = token(f"coord-{unique}", "coordinator", programs=[program_id])
    published = program_published(
        program_id=program_id,
        matching_weights={"skills": 0.6, "availability": 0.2, "language": 0.2},
        max_active_mentees_per_mentor=20,
        max_monthly_hours_per_mentor=200,
        outcome_measures=["skill_growth", "satisfaction", "retention"],
    )
    await publish(
        stack,
        published,
        person(
            MentorRegistered,
            far,
            program_id,
            skills=[{"skill_id": "python", "level": 5}],
            capacity=20,
            availability=NEW_YORK,
        ),
        person(
            MentorRegistered,
            near,
            program_id,
            skills=[{"skill_id": "public-speaking", "level": 5}],
            capacity=20,
            availability=BERLIN,
        ),
    )
    for mentor_id in (far, near):
        await eventually(partial(matcher_knows, matcher, mentor_id), what=f"{mentor_id} known")
    await eventually(partial(program_known, matcher, program_id, team), what="the program")
    base = f"/programs/{program_id}/experiments"

    unknown = experiment(f"exp-{unique}")
    unknown["arms"][1]["rule"]["weights"]["charisma"] = 1.0
    refused = await matcher.http.post(base, json=unknown, headers=team)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "arms[1].rule.weights.charisma"
    not_collected = experiment(f"exp-{unique}", primary_outcome="goal_completion")
    refused = await matcher.http.post(base, json=not_collected, headers=team)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "primary_outcome"

    created = await matcher.http.post(base, json=experiment(f"exp-{unique}"), headers=team)
    assert created.status_code == 201, created.text
    experiment_id = created.json()["experiment_id"]
    assert created.json()["status"] == "running"
    arms = experiment(experiment_id)["arms"]
    changed = await matcher.http.put(
        f"{base}/{experiment_id}/arms", json={"arms": arms, "control_arm_id": "zone"}, headers=team
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["control_arm_id"] == "zone"
    again = await matcher.http.post(base, json=experiment(f"exp2-{unique}"), headers=team)
    assert again.status_code == 409, again.text

    mentees = [f"e{n}-{unique}" for n in range(6)]
    await publish(
        stack,
        *(
            person(
                MenteeRegistered,
                mentee_id,
                program_id,
                goals=GOAL,
                availability=BERLIN,
                segment="career-switch" if n % 2 else None,
            )
            for n, mentee_id in enumerate(mentees)
        ),
    )
    preferred = {"skills": far, "zone": near}
    arms_seen = set()
    for mentee_id in mentees:
        [assigned] = await events_of(
            stack,
            MATCHES.name,
            "experiment.arm.assigned",
            partial(about, mentee_id),
        )
        assert assigned["experiment_id"] == experiment_id
        [proposed] = await events_of(
            stack, MATCHES.name, "match.proposed", partial(about, mentee_id)
        )
        assert proposed["experiment_id"] == experiment_id
        assert proposed["arm_id"] == assigned["arm_id"]
        assert proposed["rule_id"] == assigned["rule_id"]
        assert proposed["mentor_id"] == preferred[assigned["arm_id"]], proposed
        assert set(proposed["signals"]) >= {"skills", "timezone", "availability", "language"}
        arms_seen.add(assigned["arm_id"])
    assert arms_seen == {"skills", "zone"}

    read = await matcher.http.get(f"{base}/{experiment_id}", headers=team)
    assert read.status_code == 200, read.text
    counts = {c["arm_id"]: c["mentees"] for c in read.json()["assigned"]}
    assert sum(counts.values()) == 6
    assert sum(read.json()["assigned_per_stratum"]["career-switch"].values()) == 3
    frozen = await matcher.http.put(
        f"{base}/{experiment_id}/arms",
        json={"arms": arms, "control_arm_id": "skills"},
        headers=team,
    )
    assert frozen.status_code == 409, frozen.text
    assert {c["arm_id"]: c["mentees"] for c in frozen.json()["assigned"]} == counts

    stopped = await matcher.http.post(f"{base}/{experiment_id}/stop", headers=team)
    assert stopped.status_code == 200, stopped.text
    [announced] = await events_of(
        stack, MATCHES.name, "experiment.stopped", lambda e: e["experiment_id"] == experiment_id
    )
    assert announced["reason"] == "coordinator"
    assert {c["arm_id"]: c["mentees"] for c in announced["assigned"]} == counts
    twice = await matcher.http.post(f"{base}/{experiment_id}/stop", headers=team)
    assert twice.status_code == 409, twice.text
    outsider = await matcher.http.get(
        f"{base}/{experiment_id}", headers=token("c2", "coordinator", programs=["x"])
    )
    assert outsider.status_code == 403


async def test_the_team_closes_an_active_match_with_a_reason(
    stack: Endpoints, matcher: RunningService, unique: str
) -> None:
    program_id = f"prog-{unique}"
    mentor_id, mentee_id = f"m-{unique}", f"e-{unique}"
    team = token(f"coord-{unique}", "coordinator", programs=[program_id])
    await publish(
        stack,
        program_published(program_id=program_id),
        person(
            MentorRegistered, mentor_id, program_id, skills=[{"skill_id": "python", "level": 5}]
        ),
    )
    await eventually(partial(matcher_knows, matcher, mentor_id), what="the mentor known")
    await publish(stack, person(MenteeRegistered, mentee_id, program_id, goals=GOAL))
    [proposed] = await events_of(
        stack, MATCHES.name, "match.proposed", lambda e: e["mentee_id"] == mentee_id
    )
    assert proposed["experiment_id"] is None
    assert proposed["signals"]["skills"] == pytest.approx(1.0)
    url = f"/matches/{proposed['match_id']}/end"
    early = await matcher.http.post(url, json={"reason": "stalled", "detail": "x"}, headers=team)
    assert early.status_code == 409, early.text
    accepted = await matcher.http.post(
        f"/matches/{proposed['match_id']}/accept", headers=token(mentor_id, "mentor")
    )
    assert accepted.status_code == 200, accepted.text
    bad = await matcher.http.post(url, json={"reason": "rematched"}, headers=team)
    assert bad.status_code == 422, bad.text
    mentee = await matcher.http.post(
        url, json={"reason": "other"}, headers=token(mentee_id, "mentee")
    )
    assert mentee.status_code == 403, mentee.text
    ended = await matcher.http.post(
        url, json={"reason": "stalled", "detail": "no sessions for 6 weeks"}, headers=team
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["status"] == "ended"
    assert ended.json()["end_reason"] == "stalled"
    [event] = await events_of(
        stack, MATCHES.name, "match.ended", lambda e: e["match_id"] == proposed["match_id"]
    )
    assert (event["reason"], event["cause"]) == ("stalled", None)
    assert event["detail"] == "no sessions for 6 weeks"
    again = await matcher.http.post(url, json={"reason": "completed"}, headers=team)
    assert again.status_code == 409, again.text


async def test_experiment_ids_are_each_programs_own_and_one_runs_per_program(
    stack: Endpoints, matcher: RunningService, unique: str
) -> None:
    """A coordinator of program B using an id program A used gets B's own experiment,
    never A's; two starts at once in one program: one 201, one 409."""
    first, second = f"pa-{unique}", f"pb-{unique}"
    teams = {p: token(f"coord-{p}", "coordinator", programs=[p]) for p in (first, second)}
    await publish(
        stack,
        *(program_published(program_id=p, outcome_measures=["skill_growth"]) for p in teams),
    )
    for program_id, team in teams.items():
        await eventually(partial(program_known, matcher, program_id, team), what=program_id)
    shared = f"exp-{unique}"
    created = await matcher.http.post(
        f"/programs/{first}/experiments", json=experiment(shared, seed=1), headers=teams[first]
    )
    assert created.status_code == 201, created.text
    base = f"/programs/{second}/experiments"
    started = await asyncio.gather(
        matcher.http.post(base, json=experiment(shared, seed=2), headers=teams[second]),
        matcher.http.post(base, json=experiment(f"x{shared}", seed=3), headers=teams[second]),
    )
    assert sorted(r.status_code for r in started) == [201, 409], [r.text for r in started]
    [refused] = [r for r in started if r.status_code == 409]
    assert refused.json()["field"] == "program_id", refused.text
    assert first not in refused.text
    again = await matcher.http.post(base, json=experiment(shared, seed=4), headers=teams[second])
    assert again.status_code == 409, again.text
    assert first not in again.text
    read = await matcher.http.get(f"/programs/{first}/experiments/{shared}", headers=teams[first])
    assert (read.json()["program_id"], read.json()["seed"]) == (first, 1)
