"""An imported pool placed by one batch run, on the real MongoDB-wire server through the
matcher's own event table: its registrations wait for the import to be complete,
whichever of the end and the last registration comes first, and people registered on
their own are placed at once as before."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from mentornet_chassis.store.coalesce import side_by_side
from mentornet_contracts import Envelope, Event, new_envelope
from mentornet_contracts.events.programs import ImportFinished, ImportRole, ImportStatus
from mentornet_matcher.handlers import matcher_handlers
from mentornet_matcher.usecases.followups import FollowUps
from pymongo import AsyncMongoClient

from .builders import mentee, mentor
from .world import World

pytestmark = pytest.mark.integration

MENTEES = 6


@pytest.fixture
def world(mongo: AsyncMongoClient[dict[str, Any]], unique: str) -> World:
    return World.on(mongo[f"imports_{unique}"])


async def handle(world: World, *events: Event) -> None:
    then = FollowUps(world.runs, world.matchmaker, world.rematcher, world.pauses)
    handlers = matcher_handlers(world.stores, then)
    for event in events:
        envelope: Envelope[Event] = new_envelope(event, "intake")
        await handlers[type(event)](envelope)


def ended(import_id: str, role: ImportRole, registered: int) -> ImportFinished:
    return ImportFinished(
        program_id="prog-1",
        import_id=import_id,
        role=role,
        status=ImportStatus.DONE,
        rows=registered,
        registered=registered,
        skipped=0,
        rejected=0,
    )


async def requested_runs(world: World) -> int:
    doc = await world.runs.get("prog-1")
    return int(doc.get("requested", 0)) if doc else 0


async def test_an_imported_pool_waits_for_its_end_and_one_run_places_it(world: World) -> None:
    await world.program(approval_mode="auto")
    mentors = [mentor(f"m{i}", ("python", 5), capacity=2, import_id="imp-m") for i in range(3)]
    await handle(world, *mentors)
    assert await requested_runs(world) == 0
    await handle(world, ended("imp-m", ImportRole.MENTOR, 3))
    assert await requested_runs(world) == 1
    await world.batch()

    pool = [mentee(f"e{i}", ("python", 4), import_id="imp-e") for i in range(MENTEES)]
    await handle(world, *pool[:-1])
    await handle(world, ended("imp-e", ImportRole.MENTEE, MENTEES))
    assert await world.live() == []
    assert await requested_runs(world) == 1
    await handle(world, pool[-1])
    assert await world.live() == []
    assert await requested_runs(world) == 2

    run = await world.batch()
    assert (run["proposed"], run["waitlisted"]) == (MENTEES, 0)
    assert run["optimality_gap"] <= 1e-6
    live = await world.live()
    assert sorted(m["mentee_id"] for m in live) == [f"e{i}" for i in range(MENTEES)]


async def test_a_registration_on_its_own_is_placed_at_once(world: World) -> None:
    await world.program(approval_mode="auto")
    await handle(world, mentor("m0", ("python", 5), capacity=2))
    await world.batch()
    await handle(world, mentee("solo", ("python", 4)))
    assert [m["mentee_id"] for m in await world.live()] == ["solo"]


async def test_a_registration_after_its_import_is_complete_is_placed_at_once(
    world: World,
) -> None:
    """A registration handled twice lets the pool go early; one more is placed alone."""
    await world.program(approval_mode="auto")
    await handle(world, mentor("m0", ("python", 5), capacity=3))
    await world.batch()
    await handle(world, ended("imp-e", ImportRole.MENTEE, 1))
    await handle(world, mentee("e0", ("python", 4), import_id="imp-e"))
    assert await world.live() == []
    await world.batch()
    await handle(world, mentee("late", ("python", 4), import_id="imp-e"))
    assert sorted(m["mentee_id"] for m in await world.live()) == ["e0", "late"]


async def test_registrations_handled_side_by_side_are_counted_with_one_run_asked_for(
    world: World,
) -> None:
    """Registrations handled side by side (chassis lanes.py) are counted with one $inc
    for them all; each learns its own count, and exactly one
    completes the import."""
    await world.program(approval_mode="auto")
    await handle(world, mentor("m0", ("python", 5), capacity=MENTEES * 4))
    await world.batch()
    await handle(world, ended("imp-e", ImportRole.MENTEE, MENTEES * 4))
    pool = [mentee(f"e{i}", ("python", 4), import_id="imp-e") for i in range(MENTEES * 4)]
    before = await requested_runs(world)
    with side_by_side():
        await asyncio.gather(*(handle(world, person) for person in pool))
    record = await world.matchmaker.imports.imports.find_one({"_id": "imp-e"})
    assert record is not None
    assert record["seen"] == MENTEES * 4
    assert await requested_runs(world) == before + 1
    assert await world.live() == [], "held for the batch run, none placed on their own"
    run = await world.batch()
    assert run["proposed"] + run["waitlisted"] == MENTEES * 4, "the run placed the whole pool"


async def test_mentors_of_an_import_handled_side_by_side_mark_the_roster_with_one_write(
    world: World,
) -> None:
    """Each imported mentor changes the roster (cached rosters go stale), and none asks
    for a run before the import ends; handled side by side, their changes are added up
    and written to the program's run document at once."""
    await world.program(approval_mode="auto")
    before = await world.runs.get("prog-1") or {}
    team = [mentor(f"m{i}", ("python", 5), capacity=2, import_id="imp-m") for i in range(12)]
    writes: list[Any] = []
    update_one = world.runs.runs.update_one

    async def counted(query: Any, change: Any, **options: Any) -> Any:
        writes.append(change)
        return await update_one(query, change, **options)

    world.runs.runs.update_one = counted  # type: ignore[method-assign,assignment]
    with side_by_side():
        await asyncio.gather(*(handle(world, person) for person in team))
    after = await world.runs.get("prog-1")
    assert after is not None
    assert after.get("roster", 0) == before.get("roster", 0) + 12
    assert after.get("requested", 0) == before.get("requested", 0)
    assert [w["$inc"] for w in writes] == [{"roster": 12}]
