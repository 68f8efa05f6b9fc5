"""Experiments on the real MongoDB-wire server, kept apart and kept small: an id is the
program's own (another program's experiment is never shown), one experiment runs per
program however many start at once, a mentee matched before the start keeps the
program's weights, each mentee's arm is a document of its own taken on a slot no
racing assignment takes, and erasure deletes it (the counts stay)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from mentornet_chassis.errors import Conflict
from mentornet_contracts import new_envelope
from mentornet_contracts.events.matches import EndCause, MatchEndReason
from mentornet_contracts.events.participants import ParticipantErased
from mentornet_matcher.domain import candidates
from mentornet_matcher.domain.experiments import key
from mentornet_matcher.usecases.followups import FollowUps
from pymongo import AsyncMongoClient

from .builders import mentee, mentor
from .test_experiment_flow import ANYTIME, arms_in, spec
from .world import World

pytestmark = pytest.mark.integration


@pytest.fixture
def world(mongo: AsyncMongoClient[dict[str, Any]], unique: str) -> World:
    return World.on(mongo[f"experiment_keys_{unique}"])


async def test_an_experiment_id_is_the_programs_own(world: World) -> None:
    await world.program()
    await world.program(program_id="prog-2")
    experiments = world.matchmaker.experiments
    await experiments.define("prog-1", spec(seed=1), "coord-a")
    other = await experiments.define("prog-2", spec(seed=2), "coord-b")
    assert (other["program_id"], other["definition"]["seed"]) == ("prog-2", 2)
    assert (await experiments.get("prog-1", "exp-1"))["definition"]["seed"] == 1
    with pytest.raises(Conflict) as again:
        await experiments.define("prog-2", spec(experiment_id="exp-1"), "coord-b")
    assert again.value.state["experiment"]["program_id"] == "prog-2"
    await experiments.stop("prog-2", "exp-1")
    assert (await experiments.get("prog-1", "exp-1"))["status"] == "running"


async def test_two_starts_at_once_exactly_one_runs(world: World) -> None:
    await world.program()
    experiments = world.matchmaker.experiments
    started = await asyncio.gather(
        *(experiments.define("prog-1", spec(experiment_id=f"exp-{n}"), "c") for n in range(2)),
        return_exceptions=True,
    )
    refused = [r for r in started if isinstance(r, Conflict)]
    runs = [r for r in started if isinstance(r, dict)]
    assert (len(runs), len(refused)) == (1, 1), started
    assert refused[0].field == "program_id"
    await experiments.stop("prog-1", runs[0]["experiment_id"])
    assert (await experiments.define("prog-1", spec(experiment_id="exp-9"), "c"))["status"]


async def test_an_experiment_stopped_by_its_sample_frees_the_program(world: World) -> None:
    await world.program()
    experiments = world.matchmaker.experiments
    await world.add(*(mentee(f"w{n:02d}", ("python", 4)) for n in range(10)))
    stopped = await experiments.define("prog-1", spec(), "c")
    assert stopped["status"] == "stopped"
    assert stopped["stop_reason"] == "sample_reached"
    assert (await experiments.define("prog-1", spec(experiment_id="exp-2"), "c"))["status"]


async def test_a_mentee_matched_before_the_start_keeps_the_program_weights(world: World) -> None:
    await world.program()
    await world.add(
        mentor("m0", ("python", 5), capacity=10, **ANYTIME),
        mentee("old", ("python", 4), **ANYTIME),
        mentee("old2", ("python", 4), **ANYTIME),
    )
    await world.batch()
    await world.matchmaker.experiments.define("prog-1", spec(), "coord-1")
    assert await arms_in(world) == {}
    rematched = await world.match_of("old")
    await world.rematcher.end(rematched, MatchEndReason.REMATCHED, EndCause.AVAILABILITY_CHANGED)
    closed = await world.match_of("old2")
    await world.rematcher.end(
        closed, MatchEndReason.REMATCHED, EndCause.AVAILABILITY_CHANGED, place_again=False
    )
    await world.add(mentee("new", ("python", 4), **ANYTIME))
    await world.runs.request("prog-1")
    await world.batch()
    assert set(await arms_in(world)) == {"new"}
    for mentee_id in ("old", "old2"):
        again = await world.match_of(mentee_id)
        assert again["match_id"] not in (rematched["match_id"], closed["match_id"])
        assert again["experiment_id"] is None, again
    assert (await world.match_of("new"))["experiment_id"] == "exp-1"


async def test_each_arm_is_a_document_on_a_slot_no_racing_assignment_takes(
    world: World,
) -> None:
    await world.program()
    experiments = world.matchmaker.experiments
    rule = {"min_sample_per_arm": 50, "max_weeks": 4}
    await experiments.define("prog-1", spec(stop_rule=rule), "coord-1")
    people = [mentee(f"n{n:02d}", ("python", 4), segment="s") for n in range(12)]
    await world.add(*people)
    assigner = experiments.assigner
    await asyncio.gather(*(assigner.assign_new("prog-1", [p], []) for p in people))
    state = await experiments.get("prog-1", "exp-1")
    assert state["strata"]["s"] == {"skills": 6, "zone": 6}
    assigned = await arms_in(world)
    assert len(assigned) == 12
    assert sorted(assigned.values()).count("skills") == 6
    doc = await world.stores.experiments.collection.find_one({"_id": key("prog-1", "exp-1")})
    assert doc is not None
    assert "assigned" not in doc["state"]
    events = [e for e in doc["outbox"] if e["type"].endswith("arm.assigned.v1")]
    assert len(events) == 12
    lost = await world.stores.book.assignments.find_one_and_delete({"mentee_id": "n03"})
    assert lost is not None
    await assigner.assign_new("prog-1", [people[3]], [])
    await assigner.assign_new("prog-1", people, [])
    assert await arms_in(world) == assigned
    doc = await world.stores.experiments.collection.find_one({"_id": key("prog-1", "exp-1")})
    assert doc is not None
    assert len([e for e in doc["outbox"] if e["type"].endswith("arm.assigned.v1")]) == 12
    rules = await world.matchmaker.reader.arm_rules("prog-1", ["n03", "n04", "nobody"])
    assert set(rules) == {"n03", "n04"}
    assert rules["n03"].arm_id == assigned["n03"]


async def test_erasure_deletes_the_assignment_and_keeps_the_counts(world: World) -> None:
    await world.program()
    await world.add(mentee("w1", ("python", 4)), mentee("w2", ("python", 4)))
    await world.matchmaker.experiments.define("prog-1", spec(), "coord-1")
    follow = FollowUps(world.runs, world.matchmaker, world.rematcher, world.pauses)
    erased = ParticipantErased(participant_id="w1")
    tombstone = candidates.on_erased(await world.stores.candidate("w1"), erased)
    await follow.erased(new_envelope(erased, "intake"), tombstone)
    assert set(await arms_in(world)) == {"w2"}
    state = await world.matchmaker.experiments.get("prog-1", "exp-1")
    assert [c["mentee_id"] for c in state["claims"]] == ["w2"]
    assert sum(state["arm_counts"].values()) == 2
