"""Capacity under contention, on the real MongoDB-wire server: placements racing for
one mentor with capacity 3 leave exactly 3 proposals holding capacity, and so do 50
concurrent approvals of proposals in review."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from mentornet_chassis.store.aggregates import Decision
from mentornet_contracts.events.matches import Decider
from mentornet_matcher.domain.documents import Match
from mentornet_matcher.usecases.decisions import Refused
from pymongo import AsyncMongoClient

from .builders import mentee, mentor
from .world import World

pytestmark = pytest.mark.integration


async def approve_all(world: World, matches: list[Match]) -> list[bool]:
    """Every match approved at once by a coordinator: which were confirmed."""

    async def approve(match: Match) -> bool:
        try:
            await world.decisions.approve(match, Decider.COORDINATOR)
        except Refused:
            return False
        return True

    return list(await asyncio.gather(*(approve(m) for m in matches)))


async def test_fifty_racing_placements_fill_a_capacity_of_three_exactly(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    world = World.on(mongo[f"race_{unique}"])
    await world.program()
    await world.add(*(mentee(f"e{i}", ("python", 3)) for i in range(50)))
    await world.add(mentor("m1", ("python", 5), capacity=3))

    await asyncio.gather(
        *(world.matchmaker.place_newcomer("prog-1", f"e{i}", f"cause-{i}") for i in range(50))
    )

    load = await world.stores.loads.get_state("m1")
    assert load is not None
    assert len(load["holds"]) == 3
    proposed = [m for m in await world.stores.matches_in("prog-1") if m["status"] == "proposed"]
    assert len(proposed) == 3
    assert {m["match_id"] for m in proposed} == set(load["holds"])
    waiting = await world.stores.waiting_in("prog-1")
    assert len(waiting) == 47
    assert all(w["reasons"] == ["no_capacity"] for w in waiting)


async def test_fifty_concurrent_approvals_give_exactly_three_active_matches(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    """Fifty proposals wait in a coordinator's queue for one mentor (capacity 50 when
    they were made, 3 now); fifty approvals at once confirm exactly three."""
    world = World.on(mongo[f"approve_{unique}"])
    await world.program(
        approval_mode="coordinator_review",
        max_active_mentees_per_mentor=50,
        max_monthly_hours_per_mentor=200,
    )
    await world.add(*(mentee(f"e{i}", ("python", 3)) for i in range(50)))
    await world.add(mentor("m1", ("python", 5)))
    record = await world.batch()
    assert record["proposed"] == 50
    in_review = await world.live()
    assert {m["status"] for m in in_review} == {"in_review"}
    await world.program(approval_mode="coordinator_review", max_active_mentees_per_mentor=3)

    refusals: list[Refused] = []

    async def approve(match: Match) -> str:
        try:
            await world.decisions.approve(match, Decider.COORDINATOR)
        except Refused as exc:
            refusals.append(exc)
            return "refused"
        return "approved"

    outcomes = await asyncio.gather(*(approve(m) for m in in_review))

    assert outcomes.count("approved") == 3
    assert outcomes.count("refused") == 47
    assert {(r.field, r.match is not None) for r in refusals} == {("mentor_id", True)}
    proposed = [m for m in await world.stores.matches_in("prog-1") if m["status"] == "proposed"]
    assert len(proposed) == 3
    load = await world.stores.loads.get_state("m1")
    assert load is not None
    assert set(load["holds"]) == {m["match_id"] for m in proposed}


async def test_a_newcomer_and_a_batch_run_racing_leave_one_live_offer(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    """A replica placing a newcomer and another running a batch see the same unplaced
    mentees; the mentee ends up with one proposal, and no mentor holds a second place."""
    world = World.on(mongo[f"offers_{unique}"])
    await world.program()
    await world.add(
        *(mentee(f"e{i}", ("python", 3)) for i in range(10)),
        mentor("m1", ("python", 5)),
        mentor("m2", ("python", 4)),
        mentor("m3", ("python", 3)),
        mentor("m4", ("python", 5)),
    )

    await asyncio.gather(
        world.matchmaker.run_batch("prog-1", "run-a"),
        *(world.matchmaker.place_newcomer("prog-1", f"e{i}", f"new-{i}") for i in range(10)),
        world.matchmaker.run_batch("prog-1", "run-b"),
    )

    live = await world.live()
    assert sorted(m["mentee_id"] for m in live) == sorted(f"e{i}" for i in range(10))
    holds = [
        hold
        for mentor_id in ("m1", "m2", "m3", "m4")
        for hold in ((await world.stores.loads.get_state(mentor_id)) or {"holds": {}})["holds"]
    ]
    assert sorted(holds) == sorted(m["match_id"] for m in live)


async def test_concurrent_approvals_stop_at_the_monthly_hour_limit(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    """Room for ten by count, but 2 sessions of an hour a month each and a 7-hour
    monthly limit leave room for three: hours bound the approvals, not the count."""
    world = World.on(mongo[f"hours_{unique}"])
    await world.program(
        approval_mode="coordinator_review",
        max_active_mentees_per_mentor=50,
        max_monthly_hours_per_mentor=200,
    )
    await world.add(*(mentee(f"e{i}", ("python", 3)) for i in range(20)))
    await world.add(mentor("m1", ("python", 5)))
    await world.batch()
    in_review = await world.live()
    await world.program(
        approval_mode="coordinator_review",
        max_active_mentees_per_mentor=10,
        max_monthly_hours_per_mentor=7,
    )

    outcomes = await approve_all(world, in_review)
    assert outcomes.count(True) == 3
    load = await world.stores.loads.get_state("m1")
    assert load is not None
    assert sum(h["hours"] for h in load["holds"].values()) == 6


async def test_approving_twice_keeps_the_first_approvals_place(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    world = World.on(mongo[f"twice_{unique}"])
    await world.program(approval_mode="coordinator_review", max_active_mentees_per_mentor=1)
    await world.add(mentee("e1", ("python", 3)), mentee("e2", ("python", 3)))
    await world.add(mentor("m1", ("python", 5)))
    await world.batch()
    [first] = await world.live()
    await world.decisions.approve(first, Decider.COORDINATOR)
    with pytest.raises(Refused) as again:
        await world.decisions.approve(first, Decider.COORDINATOR)
    assert again.value.match is not None
    assert again.value.match["status"] == "proposed"
    load = await world.stores.loads.get_state("m1")
    assert load is not None
    assert set(load["holds"]) == {first["match_id"]}


async def test_fifty_approvals_across_two_programs_hold_a_persons_limit_of_three(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    """One person mentors in two programs (two enrolments, one person id). Twenty-five
    proposals wait in each program's review queue; the person's own limit is 3 and each
    program would allow 50. Fifty approvals at once, split across the programs, confirm
    exactly three: the limit holds for the person, not per program."""
    world = World.on(mongo[f"person_{unique}"])
    rules = {
        "approval_mode": "coordinator_review",
        "max_active_mentees_per_mentor": 50,
        "max_monthly_hours_per_mentor": 160,
    }
    programs = ("prog-1", "prog-2")
    for program_id in programs:
        await world.program(program_id=program_id, **rules)
        await world.add(
            *(mentee(f"{program_id}-e{i}", ("python", 3), program_id=program_id) for i in range(25))
        )
        await world.add(
            mentor(f"{program_id}-grace", ("python", 5), program_id=program_id, person_id="grace")
        )
    in_review = []
    for program_id in programs:
        assert (await world.batch(program_id))["proposed"] == 25
        in_review += await world.live(program_id)
    assert len(in_review) == 50
    for program_id in programs:
        lowered = mentor(
            f"{program_id}-grace",
            ("python", 5),
            program_id=program_id,
            person_id="grace",
            capacity=3,
        )
        await world.add(lowered)

    outcomes = await approve_all(world, in_review)

    assert outcomes.count(True) == 3
    load = await world.stores.loads.get_state("grace")
    assert load is not None
    assert len(load["holds"]) == 3
    for enrolment in ("prog-1-grace", "prog-2-grace"):
        assert await world.stores.loads.get_state(enrolment) is None, "no per-enrolment load"
    proposed = [
        m
        for program_id in programs
        for m in await world.stores.matches_in(program_id)
        if m["status"] == "proposed"
    ]
    assert {m["match_id"] for m in proposed} == set(load["holds"])


async def test_an_erased_mentors_place_goes_back_to_their_persons_load(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    """The match remembers whose load its place is held on: once the mentor's
    enrolment is erased, their candidate no longer says whose person they were."""
    world = World.on(mongo[f"release_{unique}"])
    await world.program()
    await world.add(mentee("e1", ("python", 3)))
    await world.add(mentor("m1", ("python", 5), person_id="grace"))
    await world.batch()
    [match] = await world.live()
    held = await world.stores.loads.get_state("grace")
    assert held is not None
    assert list(held["holds"]) == [match["match_id"]]
    await world.stores.candidates.apply(
        "m1", lambda state: Decision({**(state or {}), "roles": {}, "status": "erased"})
    )
    await world.matchmaker.proposer.release(match)
    released = await world.stores.loads.get_state("grace")
    assert released is not None
    assert released["holds"] == {}
