"""Newcomers placed in a burst share one read of their program for a moment, follow this
process's own holds, and look again before waitlisting anyone (newcomers.py)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from mentornet_chassis.store.aggregates import AggregateStore, Decision
from mentornet_chassis.store.typed import untyped as stored
from mentornet_contracts.catalogue import REGISTRY
from mentornet_matcher.domain import loads
from mentornet_matcher.domain.documents import Load
from mentornet_matcher.usecases.newcomers import NewcomerViews
from pymongo import AsyncMongoClient

from .builders import mentee, mentor
from .world import World

pytestmark = pytest.mark.integration

TTL_S = 60.0


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def world(mongo: AsyncMongoClient[dict[str, Any]], unique: str, clock: Clock) -> World:
    world = World.on(mongo[f"views_{unique}"])
    matchmaker = world.matchmaker
    matchmaker.views = NewcomerViews(
        world.stores, world.runs, matchmaker.reader, TTL_S, clock=clock
    )
    return world


async def test_a_burst_reads_the_program_once_until_the_view_expires(
    world: World, clock: Clock
) -> None:
    await world.program()
    await world.add(
        *(mentee(f"e{i}", ("python", 5)) for i in range(3)), mentor("m0", ("python", 5))
    )
    await world.matchmaker.place_newcomer("prog-1", "e0", "c0")
    reviewed = {**(await world.stores.programs.get_state("prog-1") or {})}
    reviewed["approval_mode"] = "coordinator_review"
    behind_its_back = AggregateStore(world.stores.programs.collection, REGISTRY)
    await behind_its_back.apply("prog-1", lambda _: Decision(state=reviewed))

    await world.matchmaker.place_newcomer("prog-1", "e1", "c1")
    clock.now += TTL_S
    await world.matchmaker.place_newcomer("prog-1", "e2", "c2")

    status = {m["mentee_id"]: m["status"] for m in await world.live()}
    assert status == {"e0": "proposed", "e1": "proposed", "e2": "in_review"}


async def test_the_view_follows_this_process_s_holds(world: World) -> None:
    await world.program()
    await world.add(
        mentee("e0", ("python", 5)),
        mentee("e1", ("python", 5)),
        mentor("m0", ("python", 5), capacity=1),
        mentor("m1", ("python", 4), capacity=1),
    )
    await world.matchmaker.place_newcomer("prog-1", "e0", "c0")
    view = await world.matchmaker.views.view("prog-1")
    assert view is not None
    assert not view.fresh
    assert len((view.loads["m0"].state or {})["holds"]) == 1

    await world.matchmaker.place_newcomer("prog-1", "e1", "c1")

    assert {m["mentee_id"]: m["mentor_id"] for m in await world.live()} == {"e0": "m0", "e1": "m1"}


async def test_a_place_freed_elsewhere_is_found_before_anyone_is_waitlisted(
    world: World,
) -> None:
    await world.program()
    await world.add(
        mentee("e0", ("python", 5)),
        mentee("e1", ("python", 5)),
        mentor("m0", ("python", 5), capacity=1),
    )
    await world.matchmaker.place_newcomer("prog-1", "e0", "c0")
    first = await world.match_of("e0")
    other_replica = AggregateStore(world.stores.loads.collection, REGISTRY)
    await other_replica.apply(
        "m0",
        lambda state: Decision(
            state=stored(loads.release(cast(Load | None, state), "m0", first["match_id"]))
        ),
    )

    placed = await world.matchmaker.place_newcomer("prog-1", "e1", "c1")

    assert placed.proposed == ["e1"]
    assert await world.stores.waiting_in("prog-1") == []


async def test_a_program_changed_here_is_seen_at_once(world: World) -> None:
    await world.program()
    await world.add(mentee("e0", ("python", 5)), mentee("e1", ("python", 5)))
    await world.add(mentor("m0", ("python", 5)))
    await world.matchmaker.place_newcomer("prog-1", "e0", "c0")
    await world.program(approval_mode="coordinator_review")
    world.matchmaker.views.forget("prog-1")

    await world.matchmaker.place_newcomer("prog-1", "e1", "c1")

    assert (await world.match_of("e1"))["status"] == "in_review"
