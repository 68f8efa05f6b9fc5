"""Batch runs on the real MongoDB-wire server: requests coalesce, a lease keeps runs
of one program apart, the record reports the gap and prices, and newcomers use them."""

from __future__ import annotations

from typing import Any

import pytest
from pymongo import AsyncMongoClient

from .builders import mentee, mentor
from .world import World

pytestmark = pytest.mark.integration


@pytest.fixture
def world(mongo: AsyncMongoClient[dict[str, Any]], unique: str) -> World:
    return World.on(mongo[f"runs_{unique}"])


async def test_requests_coalesce_and_a_lease_keeps_runs_apart(world: World) -> None:
    for _ in range(3):
        await world.runs.request("prog-1")
    claimed = await world.runs.claim("a")
    assert claimed is not None
    assert claimed["requested"] == 3
    assert await world.runs.claim("b") is None

    await world.runs.request("prog-1")
    await world.runs.finish(claimed, {"run_id": "r1"})

    again = await world.runs.claim("b")
    assert again is not None
    assert again["requested"] == 4
    assert again["done"] == 3
    await world.runs.finish(again, {"run_id": "r2"})
    assert await world.runs.claim("c") is None


async def test_a_program_is_run_again_when_its_schedule_is_due(world: World) -> None:
    world.runs.schedule_s = 0.0
    await world.runs.request("prog-1")
    first = await world.runs.claim("a")
    assert first is not None
    await world.runs.finish(first, {"run_id": "r1"})
    assert await world.runs.claim("a") is not None


async def test_a_run_records_the_certified_total_and_prices_for_what_is_left(
    world: World,
) -> None:
    """Three mentees want the two level-5 mentors (one place each); the third gets the
    level-3 mentor (two places) at a lower score x, so the total is 2 + x. For newcomers,
    a crowd like these three would fight over the one place left, so it costs x; the
    full mentors have nothing left to price."""
    await world.program(max_active_mentees_per_mentor=2)
    await world.add(
        *(mentee(f"e{i}", ("python", 4)) for i in range(3)),
        mentor("m0", ("python", 5), capacity=1),
        mentor("m1", ("python", 5), capacity=1),
        mentor("m2", ("python", 3)),
    )

    record = await world.batch()

    assert (record["proposed"], record["waitlisted"]) == (3, 0)
    assert record["optimality_gap"] < 1e-6
    assert abs(record["lp_bound"] - record["total_score"]) < 1e-6
    third = record["total_score"] - 2
    assert 0 < third < 1
    assert record["prices"] == {"m2": pytest.approx(third, abs=1e-5)}
    assert await world.runs.claim("again") is None


@pytest.mark.parametrize(("prices", "expected"), [({}, "m0"), ({"m0": 0.5}, "m2")])
async def test_a_newcomer_is_ranked_by_score_minus_the_last_runs_price(
    world: World, prices: dict[str, float], expected: str
) -> None:
    await world.program()
    await world.add(mentor("m0", ("python", 5)), mentor("m2", ("python", 3)))
    claimed = await world.runs.claim("seed")
    assert claimed is not None
    await world.runs.finish(claimed, {"run_id": "seeded", "prices": prices})
    await world.add(mentee("e1", ("python", 4)))

    placed = await world.matchmaker.place_newcomer("prog-1", "e1", "new")

    assert placed.proposed == ["e1"]
    assert (await world.match_of("e1"))["mentor_id"] == expected
