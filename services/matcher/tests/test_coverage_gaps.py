"""Coverage gaps: skills waiting mentees need and free mentor places cannot cover."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from mentornet_matcher.domain.coverage_gaps import SkillGap, skill_gaps
from mentornet_matcher.domain.documents import CoverageReport
from pymongo import AsyncMongoClient

from .builders import mentee, mentor, pool
from .world import World


@pytest.mark.unit
def test_a_skill_is_a_gap_when_fewer_places_than_waiting_mentees_remain() -> None:
    people = [
        mentee("e0", ("rust", 4)),
        mentee("e1", ("rust", 4), ("python", 2)),
        mentee("e2", ("rust", 2)),
        mentee("e3", ("python", 3)),
    ]
    mentors = [mentor("m0", ("rust", 3)), mentor("m1", ("python", 5))]
    seen = pool(people, mentors)

    gaps = skill_gaps(seen, np.asarray([1, 5]), [0, 1, 2, 3])

    assert gaps == [SkillGap("rust", waiting=3, places=1)]
    assert skill_gaps(seen, np.asarray([3, 5]), [0, 1, 2]) == []
    assert skill_gaps(seen, np.asarray([0, 0]), [3]) == [SkillGap("python", 1, 0)]


@pytest.mark.integration
async def test_a_run_reports_the_gap_once_until_it_changes(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    world = World.on(mongo[f"gaps_{unique}"])
    await world.program(max_active_mentees_per_mentor=1)
    await world.add(
        *(mentee(f"e{i}", ("rust", 4)) for i in range(3)),
        mentor("m0", ("rust", 5)),
        mentor("m1", ("python", 5), languages=["de"]),
    )

    first = await world.batch()
    await world.runs.request("prog-1")
    await world.batch()

    assert (first["proposed"], first["waitlisted"]) == (1, 2)
    board = await world.stores.coverage.get_state("prog-1")
    assert board is not None
    assert board["skills"] == [{"skill_id": "rust", "waiting": 2, "places": 0, "shortfall": 2}]
    doc = await world.stores.coverage.collection.find_one({"_id": "prog-1"})
    assert doc is not None
    reported = [e for e in doc["outbox"] if e["type"] == "mentornet.coverage.gap.reported.v2"]
    assert len(reported) == 1


@pytest.mark.integration
async def test_gaps_that_empty_are_announced_closed_once(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    world = World.on(mongo[f"gaps_closed_{unique}"])
    board = world.matchmaker.coverage
    gap: CoverageReport = {
        "skills": [{"skill_id": "rust", "waiting": 2, "places": 0, "shortfall": 2}],
        "waiting_mentees": 2,
        "mentors_with_capacity": 0,
    }
    none: CoverageReport = {"skills": [], "waiting_mentees": 0, "mentors_with_capacity": 3}
    for report in (gap, none, none):
        await board.record("prog-1", report)
    doc = await world.stores.coverage.collection.find_one({"_id": "prog-1"})
    assert doc is not None
    types = [e["type"] for e in doc["outbox"]]
    assert types == ["mentornet.coverage.gap.reported.v2", "mentornet.coverage.gap.closed.v1"]
