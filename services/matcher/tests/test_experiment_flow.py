"""Experiments on the real MongoDB-wire server: waiting mentees assigned at the start in
participant-id order, newcomers assigned before they are matched and matched by their
arm's rule, one assignment however often a mentee is placed; the program's refusals;
and the team closing an active match."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from mentornet_chassis.errors import Conflict, Invalid, NotFound
from mentornet_chassis.messaging.timers import firing
from mentornet_contracts.events.matches import Decider, MatchEndReason
from mentornet_matcher.domain import experiments as experiment_states
from mentornet_matcher.usecases.decisions import Refused
from pymongo import AsyncMongoClient

from .builders import availability, mentee, mentor
from .world import World, emitted

pytestmark = pytest.mark.integration

ALL_WEEK = [
    {"weekday": d, "start": "00:00", "end": "24:00"}
    for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
]
ANYTIME = {"availability": availability(weekly=ALL_WEEK)}
FAR = {"availability": availability("America/New_York", weekly=ALL_WEEK)}
ASSIGNED = "mentornet.experiment.arm.assigned.v1"


def spec(**changes: Any) -> dict[str, Any]:
    arms = [
        {
            "arm_id": "skills",
            "rule": {"rule_id": "skills-only", "version": 1, "weights": {"skills": 1}},
        },
        {
            "arm_id": "zone",
            "rule": {"rule_id": "zone-only", "version": 1, "weights": {"timezone": 1}},
        },
    ]
    return {
        "experiment_id": "exp-1",
        "name": "Skills or time zone",
        "arms": arms,
        "control_arm_id": "skills",
        "primary_outcome": "skill_growth",
        "stop_rule": {"min_sample_per_arm": 5, "max_weeks": 12},
        "seed": 42,
        "max_group_gap": None,
        **changes,
    }


async def arms_in(world: World, experiment_id: str = "exp-1") -> dict[str, str]:
    """Mentee to arm, from the assignment documents (one per mentee)."""
    found = world.stores.book.assignments.find({"experiment_id": experiment_id})
    return {doc["mentee_id"]: doc["arm_id"] async for doc in found}


@pytest.fixture
def world(mongo: AsyncMongoClient[dict[str, Any]], unique: str) -> World:
    return World.on(mongo[f"experiment_{unique}"])


async def test_mentees_are_assigned_then_matched_by_their_arm(world: World) -> None:
    await world.program(outcome_measures=["skill_growth", "retention"])
    experiments = world.matchmaker.experiments
    await world.add(
        mentor("far", ("python", 5), capacity=10, **FAR),
        mentor("near", ("public-speaking", 5), capacity=10, **ANYTIME),
        mentee("w2", ("python", 4), **ANYTIME),
        mentee("w1", ("python", 4), **ANYTIME),
    )
    await experiments.define("prog-1", spec(), "coord-1")
    assert sorted(await arms_in(world)) == ["w1", "w2"]
    for n in range(4):
        person = mentee(f"n{n}", ("python", 4), segment="career-switch", **ANYTIME)
        await world.add(person)
        await world.matchmaker.place_newcomer("prog-1", person.participant_id, f"reg-{n}")
        await world.matchmaker.place_newcomer("prog-1", person.participant_id, f"again-{n}")
    await world.batch()
    state = await experiments.get("prog-1", "exp-1")
    assigned = await arms_in(world)
    assert len(assigned) == 6
    assert sum(state["arm_counts"].values()) == 6
    assert sum(state["strata"]["career-switch"].values()) == 4
    assert set(state["strata"]["career-switch"].values()) == {2}
    preferred = {"skills": "far", "zone": "near"}
    for match in await world.live():
        arm = assigned[match["mentee_id"]]
        assert (match["experiment_id"], match["arm_id"]) == ("exp-1", arm)
        assert match["mentor_id"] == preferred[arm], match
        assert set(match["signals"]) >= {"skills", "timezone"}
    assert len(await world.live()) == 6


async def test_the_program_refuses_what_it_cannot_run(world: World) -> None:
    await world.program(outcome_measures=["satisfaction"])
    experiments = world.matchmaker.experiments
    with pytest.raises(Invalid) as outcome:
        await experiments.define("prog-1", spec(), "coord-1")
    assert outcome.value.field == "primary_outcome"
    with pytest.raises(NotFound):
        await experiments.define("prog-unknown", spec(), "coord-1")
    await experiments.define("prog-1", spec(primary_outcome="satisfaction"), "coord-1")
    with pytest.raises(Conflict) as running:
        await experiments.define(
            "prog-1", spec(experiment_id="exp-2", primary_outcome="satisfaction"), "coord-1"
        )
    assert running.value.field == "program_id"
    await world.add(mentee("w1", ("python", 4), **ANYTIME))
    await experiments.assigner.assign_waiting("prog-1")
    with pytest.raises(Conflict) as frozen:
        await experiments.change_arms("prog-1", "exp-1", spec()["arms"], "zone")
    assert sum(c["mentees"] for c in frozen.value.state["assigned"]) == 1
    stopped = await experiments.stop("prog-1", "exp-1")
    assert stopped["status"] == "stopped"
    assert stopped["stop_reason"] == "coordinator"
    with pytest.raises(Conflict):
        await experiments.stop("prog-1", "exp-1")


async def test_the_team_closes_an_active_match_and_frees_the_place(world: World) -> None:
    await world.program()
    await world.add(mentee("e1", ("python", 4)), mentor("m0", ("python", 5), capacity=1))
    await world.batch()
    match = await world.match_of("e1")
    with pytest.raises(Refused):
        await world.decisions.close(match, MatchEndReason.STALLED, "no sessions held")
    confirmed = await world.decisions.accept(match, Decider.MENTOR)
    closed = await world.decisions.close(confirmed, MatchEndReason.STALLED, "no sessions held")
    assert closed["status"] == "ended"
    assert closed["end_reason"] == "stalled"
    assert "end_cause" not in closed
    [ended] = [e for e in await emitted(world, match["match_id"]) if e["type"].endswith("ended.v1")]
    assert (ended["reason"], ended["cause"], ended["detail"]) == (
        "stalled",
        None,
        "no sessions held",
    )
    load = await world.stores.loads.get_state("m0")
    assert load is not None
    assert match["match_id"] not in load["holds"]
    assert await world.live() == []


async def test_the_timer_stops_assignment_at_the_time_limit(world: World) -> None:
    await world.program()
    experiments = world.matchmaker.experiments
    state = await experiments.define("prog-1", spec(), "coord-1")
    due = state["due_epoch"]
    assert due is not None
    fire = firing(world.stores.experiment_states, experiment_states.due, "matcher")
    await fire("prog-1/exp-1", datetime.fromtimestamp(due - 60, UTC))
    assert (await experiments.get("prog-1", "exp-1"))["status"] == "running"
    await fire("prog-1/exp-1", datetime.fromtimestamp(due + 1, UTC))
    stopped = await experiments.get("prog-1", "exp-1")
    assert stopped["stop_reason"] == "time_limit"
    doc = await world.stores.experiments.collection.find_one({"_id": "prog-1/exp-1"})
    assert doc is not None
    types = [entry["type"] for entry in doc.get("outbox", [])]
    assert types[-1] == "mentornet.experiment.stopped.v1"
