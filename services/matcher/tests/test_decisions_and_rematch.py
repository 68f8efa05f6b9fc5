"""People's decisions and rematches on the real MongoDB-wire server: shortlists, swaps,
fit checks, escalations, withdrawals, capacity and availability changes."""

from __future__ import annotations

from typing import Any

import pytest
from mentornet_contracts.events.matches import Decider
from mentornet_contracts.events.participants import MentorRegistered
from mentornet_matcher.usecases.decisions import Refused
from mentornet_matcher.usecases.rematch import UnknownMatch
from pymongo import AsyncMongoClient

from .builders import availability, mentee, mentor
from .world import World, emitted

pytestmark = pytest.mark.integration

ENDED = "mentornet.match.ended.v1"


@pytest.fixture
def world(mongo: AsyncMongoClient[dict[str, Any]], unique: str) -> World:
    return World.on(mongo[f"decide_{unique}"])


def experts(n: int, **fields: Any) -> list[MentorRegistered]:
    """Mentors from best to worst for a python goal at level 5 (no ties)."""
    return [mentor(f"m{k}", ("python", 5 - k), **fields) for k in range(n)]


async def test_a_mentee_picks_one_of_three_options_and_the_others_end(world: World) -> None:
    await world.program(approval_mode="mentee_shortlist")
    await world.add(mentee("e1", ("python", 5)), *experts(4))
    await world.batch()
    options = await world.live()
    assert sorted(m["mentor_id"] for m in options) == ["m0", "m1", "m2"]
    assert {m["status"] for m in options} == {"shortlisted"}
    assert await world.stores.loads.get_state("m1") is None

    picked = next(m for m in options if m["mentor_id"] == "m1")
    state = await world.decisions.approve(picked, Decider.MENTEE)

    assert state["status"] == "proposed"
    assert [m["mentor_id"] for m in await world.live()] == ["m1"]
    load = await world.stores.loads.get_state("m1")
    assert load is not None
    assert list(load["holds"]) == [picked["match_id"]]
    for other in options:
        if other is not picked:
            events = await emitted(world, other["match_id"])
            assert [e["cause"] for e in events if e["type"] == ENDED] == ["option_not_picked"]


async def test_a_coordinator_swaps_the_proposed_mentor(world: World) -> None:
    await world.program(approval_mode="coordinator_review")
    await world.add(
        mentee("e1", ("python", 5)), *experts(2), mentor("m-de", ("python", 5), languages=["de"])
    )
    await world.batch()
    queued = await world.match_of("e1")
    assert (queued["status"], queued["mentor_id"]) == ("in_review", "m0")

    with pytest.raises(Refused) as refused:
        await world.decisions.swap(queued, "m-de", "speaks German")
    assert refused.value.field == "mentor_id"
    assert "language" in refused.value.reason

    await world.decisions.swap(queued, "m1", "same team last year")

    swapped = await world.match_of("e1")
    assert (swapped["status"], swapped["mentor_id"]) == ("proposed", "m1")
    old = await world.stores.matches.get_state(queued["match_id"])
    assert old is not None
    assert old["status"] == "superseded"


async def test_a_failed_fit_check_rematches_without_the_pair(world: World) -> None:
    await world.program()
    await world.add(mentee("e1", ("python", 5)), *experts(2))
    await world.batch()
    first = await world.match_of("e1")
    assert first["mentor_id"] == "m0"
    with pytest.raises(Refused):
        await world.decisions.fit_check(first, Decider.MENTEE, False, "too early")
    confirmed = await world.decisions.accept(first, Decider.MENTOR)

    ended = await world.decisions.fit_check(confirmed, Decider.MENTEE, False, "styles clash")

    assert ended["status"] == "ended"
    assert ended["failed"] is True
    assert (await world.match_of("e1"))["mentor_id"] == "m1"
    event = (await emitted(world, first["match_id"]))[-1]
    assert (event["type"], event["reason"], event["cause"]) == (
        ENDED,
        "rematched",
        "fit_check_failed",
    )
    assert (await world.stores.loads.get_state("m0") or {})["holds"] == {}
    assert ("e1", "m0") in await world.stores.failed_pairs("prog-1")


async def test_an_escalation_rematches_once_and_an_unknown_match_is_an_error(
    world: World,
) -> None:
    await world.program()
    await world.add(mentee("e1", ("python", 5)), *experts(2))
    await world.batch()
    first = await world.match_of("e1")

    await world.rematcher.escalated(first["match_id"], "missed_sessions escalation")
    await world.rematcher.escalated(first["match_id"], "missed_sessions escalation")

    assert (await world.match_of("e1"))["mentor_id"] == "m1"
    assert len(await world.stores.matches_in("prog-1")) == 2
    with pytest.raises(UnknownMatch):
        await world.rematcher.escalated("match-nope", "x")


async def test_a_match_whose_sessions_are_done_completes_frees_the_place_and_is_not_redone(
    world: World,
) -> None:
    await world.program()
    await world.add(mentee("e1", ("python", 5)), *experts(2))
    await world.batch()
    match = await world.match_of("e1")

    await world.rematcher.completed(match["match_id"], "1 held, 0 missed")
    await world.rematcher.completed(match["match_id"], "1 held, 0 missed")

    assert await world.live() == []
    assert len(await world.stores.matches_in("prog-1")) == 1
    ended = [e for e in await emitted(world, match["match_id"]) if e["type"] == ENDED]
    assert [(e["reason"], e["cause"]) for e in ended] == [("completed", "sessions_completed")]
    assert (await world.stores.loads.get_state(match["mentor_id"]) or {})["holds"] == {}
    assert ("e1", match["mentor_id"]) not in await world.stores.failed_pairs("prog-1")
    with pytest.raises(UnknownMatch):
        await world.rematcher.completed("match-nope", "x")


async def test_a_mentor_leaving_places_their_mentees_elsewhere(world: World) -> None:
    await world.program()
    await world.add(mentee("e1", ("python", 5)), mentee("e2", ("python", 5)), *experts(2))
    await world.batch()
    assert {m["mentor_id"] for m in await world.live()} == {"m0"}

    await world.withdraw("m0")

    assert {m["mentor_id"] for m in await world.live()} == {"m1"}
    assert (await world.stores.loads.get_state("m0") or {})["holds"] == {}


async def test_a_mentee_leaving_ends_the_match_and_frees_the_place(world: World) -> None:
    await world.program()
    await world.add(mentee("e1", ("python", 5)), *experts(1))
    await world.batch()
    match = await world.match_of("e1")

    await world.withdraw("e1")

    assert await world.live() == []
    event = (await emitted(world, match["match_id"]))[-1]
    assert (event["reason"], event["cause"]) == ("withdrawn", "participant_withdrawn")
    assert (await world.stores.loads.get_state("m0") or {})["holds"] == {}


async def test_lower_capacity_ends_unaccepted_proposals_first(world: World) -> None:
    await world.program(max_active_mentees_per_mentor=3)
    await world.add(*(mentee(f"e{i}", ("python", 5)) for i in range(3)), *experts(2))
    await world.batch()
    holding = [m for m in await world.live() if m["mentor_id"] == "m0"]
    assert len(holding) == 3
    kept = await world.decisions.accept(holding[1], Decider.MENTOR)
    await world.add(mentor("m0", ("python", 5), capacity=1))

    await world.rematcher.mentor_changed("m0")

    at_m0 = [m for m in await world.live() if m["mentor_id"] == "m0"]
    assert [m["match_id"] for m in at_m0] == [kept["match_id"]]
    assert len([m for m in await world.live() if m["mentor_id"] == "m1"]) == 2


async def test_availability_without_overlap_rematches(world: World) -> None:
    await world.program()
    await world.add(mentee("e1", ("python", 5)), *experts(2))
    await world.batch()
    assert (await world.match_of("e1"))["mentor_id"] == "m0"
    evenings = [{"weekday": "sat", "start": "18:00", "end": "20:00"}]
    await world.add(mentor("m0", ("python", 5), availability=availability(weekly=evenings)))

    await world.rematcher.availability_changed("m0", "mentor_id")

    assert (await world.match_of("e1"))["mentor_id"] == "m1"
    ended = [m for m in await world.stores.matches_in("prog-1") if m["status"] == "ended"]
    assert [m["end_cause"] for m in ended] == ["availability_changed"]
    assert ended[0]["failed"] is False
