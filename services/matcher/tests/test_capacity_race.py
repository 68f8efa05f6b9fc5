"""Capacity under contention, on the real MongoDB-wire server: 50 placements racing
for one mentor with capacity 3 leave exactly 3 proposals holding capacity."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from mentornet_chassis.aggregates import AggregateStore, Decision, State
from mentornet_contracts.catalogue import REGISTRY
from mentornet_contracts.events.participants import MenteeRegistered
from mentornet_matcher.domain import candidates
from mentornet_matcher.matchmaker import Matchmaker
from mentornet_matcher.store import MatcherStores
from pymongo import AsyncMongoClient

from .builders import mentee, mentor

pytestmark = pytest.mark.integration

PROGRAM = {
    "program_id": "prog-1",
    "name": "Race",
    "tier": "standard",
    "cadence": {"sessions_per_month": 2, "session_minutes": 60},
    "duration_weeks": 12,
    "max_active_mentees_per_mentor": 3,
    "max_monthly_hours_per_mentor": 20,
    "approval_mode": "auto",
    "matching_weights": {"skills": 1.0},
    "conflict_rules": {"exclude_same_manager_line": False, "exclude_same_org_unit": False},
    "qa_sample_rate": 0.1,
    "escalation": {
        "missed_sessions_in_a_row": 2,
        "days_without_activity": 21,
        "low_rubric_average": 2.5,
        "days_to_accept_proposal": 7,
    },
}


def registering(person: MenteeRegistered) -> Callable[[State | None], Decision]:
    return lambda current: Decision(state=candidates.on_mentee_registered(current, person))


async def test_fifty_racing_placements_fill_a_capacity_of_three_exactly(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    db = mongo[f"race_{unique}"]
    stores = MatcherStores(
        *(AggregateStore(db[name], REGISTRY) for name in ("c", "p", "m", "l", "w"))
    )
    await stores.programs.apply("prog-1", lambda _: Decision(state=PROGRAM))
    people = [mentee(f"e{i}", ("python", 3)) for i in range(50)]
    for person in people:
        await stores.candidates.apply(person.participant_id, registering(person))
    expert = mentor("m1", ("python", 5), capacity=3)
    await stores.candidates.apply(
        "m1", lambda current: Decision(state=candidates.on_mentor_registered(current, expert))
    )
    matchmaker = Matchmaker(stores, lambda: None)

    await asyncio.gather(
        *(matchmaker.place("prog-1", f"cause-{i}", only={f"e{i}"}) for i in range(50))
    )

    load = await stores.loads.get_state("m1")
    assert load is not None
    assert len(load["holds"]) == 3
    proposed = [m for m in await stores.matches_in("prog-1") if m["status"] == "proposed"]
    assert len(proposed) == 3
    assert {m["match_id"] for m in proposed} == set(load["holds"])
