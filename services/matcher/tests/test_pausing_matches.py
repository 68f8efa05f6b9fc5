"""Pausing, resuming and the async format on the real MongoDB-wire server: a
coordinator's pause, the pair's two requests, the refusals, the timer that resumes
at resume_by, QA's pause step (once per case), ending a paused match, and the format
match.confirmed carries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mentornet_chassis.errors import Conflict, Invalid
from mentornet_contracts import new_envelope
from mentornet_contracts.events.matches import Decider
from mentornet_contracts.events.qa import (
    EscalationAction,
    EscalationRaised,
    EscalationTrigger,
    Severity,
)
from mentornet_matcher.domain.documents import Match
from mentornet_matcher.usecases.followups import FollowUps
from mentornet_matcher.usecases.rematch import UnknownMatch
from mentornet_matcher.workers import pause_timers
from pymongo import AsyncMongoClient

from .builders import mentee, mentor
from .world import World, emitted

pytestmark = pytest.mark.integration

PAUSED, RESUMED = "mentornet.match.paused.v1", "mentornet.match.resumed.v1"
CONFIRMED = "mentornet.match.confirmed.v1"
DUE = datetime(2027, 2, 4, 9, tzinfo=UTC)


@pytest.fixture
def world(mongo: AsyncMongoClient[dict[str, Any]], unique: str) -> World:
    return World.on(mongo[f"pause_{unique}"])


async def confirmed_match(world: World, **program: Any) -> Match:
    await world.program(**program)
    await world.add(mentee("e1", ("python", 5)), mentor("m0", ("python", 5)))
    await world.batch()
    return await world.decisions.accept(await world.match_of("e1"), Decider.MENTOR)


async def of_type(world: World, match_id: str, kind: str) -> list[dict[str, Any]]:
    return [e for e in await emitted(world, match_id) if e["type"] == kind]


async def test_a_coordinator_pauses_at_once_and_the_timer_resumes_at_resume_by(
    world: World,
) -> None:
    match = await confirmed_match(world)
    outcome = await world.pauses.pause(match, Decider.COORDINATOR, 2, "product launch")
    assert outcome.waiting_for == []
    assert outcome.match["status"] == "paused"
    [paused] = await of_type(world, match["match_id"], PAUSED)
    assert (paused["by"], paused["reason"]) == ("coordinator", "product launch")
    resume_by = world.clock() + timedelta(weeks=2)

    timers = pause_timers(world.stores, world.clock, 1.0, lambda: None)
    world.now[0] = resume_by - timedelta(minutes=1)
    assert await timers.run_once() == 0
    world.now[0] = resume_by
    assert await timers.run_once() == 1
    assert await timers.run_once() == 0

    [resumed] = await of_type(world, match["match_id"], RESUMED)
    assert resumed["by"] == "schedule"
    state = await world.stores.match(match["match_id"])
    assert state is not None
    assert state["status"] == "confirmed"


async def test_refusals_name_weeks_and_carry_the_state(world: World) -> None:
    match = await confirmed_match(world, max_pause_weeks=3)
    with pytest.raises(Invalid) as too_long:
        await world.pauses.pause(match, Decider.COORDINATOR, 4, "too long")
    assert too_long.value.body["field"] == "weeks"
    with pytest.raises(Conflict) as not_paused:
        await world.pauses.resume(match, Decider.COORDINATOR)
    assert not_paused.value.body["match"]["status"] == "confirmed"
    await world.pauses.pause(match, Decider.COORDINATOR, 3, "ok")
    with pytest.raises(Conflict) as again:
        await world.pauses.pause(match, Decider.MENTEE, 1, "again")
    assert again.value.status == 409
    assert again.value.body["match"]["status"] == "paused"
    resumed = await world.pauses.resume(match, Decider.MENTEE)
    assert resumed["status"] == "confirmed"
    [event] = await of_type(world, match["match_id"], RESUMED)
    assert event["by"] == "participants"


async def test_the_pair_pauses_when_both_have_asked(world: World) -> None:
    match = await confirmed_match(world)
    first = await world.pauses.pause(match, Decider.MENTOR, 2, "conference")
    assert first.waiting_for == ["mentee"]
    assert first.match["status"] == "confirmed"
    assert await of_type(world, match["match_id"], PAUSED) == []
    second = await world.pauses.pause(match, Decider.MENTEE, 1, "exams")
    assert second.waiting_for == []
    [paused] = await of_type(world, match["match_id"], PAUSED)
    assert paused["by"] == "participants"


def escalation(match_id: str, case_id: str) -> Any:
    raised = EscalationRaised(
        case_id=case_id,
        match_id=match_id,
        trigger=EscalationTrigger.BOOKING_FAILED,
        severity=Severity.MEDIUM,
        action=EscalationAction.PAUSE,
        owner_id="coord-1",
        due_at=DUE,
    )
    return new_envelope(raised, "qa")


async def test_qa_pauses_for_the_programs_longest_pause_once_per_case(world: World) -> None:
    match = await confirmed_match(world, max_pause_weeks=6)
    then = FollowUps(world.runs, world.matchmaker, world.rematcher, world.pauses)
    await then.escalation(escalation(match["match_id"], "case-1"))
    await then.escalation(escalation(match["match_id"], "case-1"))
    [paused] = await of_type(world, match["match_id"], PAUSED)
    assert (paused["by"], paused["case_id"]) == ("qa", "case-1")
    assert paused["resume_by"].startswith((world.clock() + timedelta(weeks=6)).date().isoformat())
    with pytest.raises(UnknownMatch):
        await then.escalation(escalation("match-nope", "case-2"))

    await world.rematcher.completed(match["match_id"], "done")
    state = await world.stores.match(match["match_id"])
    assert state is not None
    assert (state["status"], state.get("ended_from"), state.get("due_epoch")) == (
        "ended",
        "paused",
        None,
    )
    assert (await world.stores.loads.get_state("m0") or {})["holds"] == {}


async def test_an_async_program_confirms_matches_as_async(world: World) -> None:
    match = await confirmed_match(world, session_format="async")
    [event] = await of_type(world, match["match_id"], CONFIRMED)
    assert event["format"] == "async"
    assert match["format"] == "async"


async def test_a_pair_that_only_both_accept_async_meets_async(world: World) -> None:
    await world.program()
    await world.add(
        mentee("e1", ("python", 5), formats=["async", "chat"]),
        mentor("m0", ("python", 5), formats=["async", "video"]),
    )
    await world.batch()
    match = await world.decisions.accept(await world.match_of("e1"), Decider.MENTOR)
    [event] = await of_type(world, match["match_id"], CONFIRMED)
    assert event["format"] == "async"
