"""Pausing, resuming and the async format on the real MongoDB-wire server: a
coordinator's pause, the pair's two requests (and withdrawing one), the refusals (a
participant cannot end the team's pause; a match no longer stored is a 404), the
timer that resumes at resume_by, QA's pause step (once per case, with a neutral
reason), ending a paused match, the format match.confirmed carries, and an async
match that shares no live time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mentornet_chassis.errors import Conflict, Invalid, NotFound
from mentornet_contracts import new_envelope
from mentornet_contracts.events.matches import Decider
from mentornet_contracts.events.programs import ProgramPublished
from mentornet_contracts.events.qa import (
    EscalationAction,
    EscalationRaised,
    EscalationTrigger,
    Severity,
)
from mentornet_matcher.domain.documents import Match
from mentornet_matcher.usecases.followups import FollowUps
from mentornet_matcher.usecases.pauses import max_pause_weeks
from mentornet_matcher.usecases.rematch import UnknownMatch
from mentornet_matcher.workers import pause_timers
from pymongo import AsyncMongoClient

from .builders import availability, mentee, mentor
from .world import World, emitted

pytestmark = pytest.mark.integration

PAUSED, RESUMED = "mentornet.match.paused.v1", "mentornet.match.resumed.v1"
CONFIRMED, ENDED = "mentornet.match.confirmed.v1", "mentornet.match.ended.v1"
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
    with pytest.raises(Conflict) as not_theirs:
        await world.pauses.resume(match, Decider.MENTEE)
    assert not_theirs.value.body["field"] == "pause"
    assert await of_type(world, match["match_id"], RESUMED) == []
    resumed = await world.pauses.resume(match, Decider.COORDINATOR)
    assert (resumed.match["status"], resumed.waiting_for) == ("confirmed", [])
    [event] = await of_type(world, match["match_id"], RESUMED)
    assert event["by"] == "coordinator"


async def test_a_match_no_longer_stored_is_a_404_and_nothing_is_written(world: World) -> None:
    match = await confirmed_match(world)
    ghost: Match = {**match, "match_id": "match-gone"}
    attempts: list[Callable[[], Awaitable[object]]] = [
        lambda: world.pauses.pause(ghost, Decider.COORDINATOR, 1, "launch"),
        lambda: world.pauses.resume(ghost, Decider.COORDINATOR),
        lambda: world.pauses.withdraw(ghost, Decider.MENTEE, "pause"),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound) as refused:
            await attempt()
        assert refused.value.status == 404
        assert refused.value.body["field"] == "match_id"
        assert "match-gone" in refused.value.body["reason"]
    assert await world.stores.match("match-gone") is None


def test_an_unknown_programs_longest_pause_is_the_contracts_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    field = ProgramPublished.model_fields["max_pause_weeks"]
    assert max_pause_weeks(None) == field.default
    monkeypatch.setattr(field, "default", 9)
    assert max_pause_weeks(None) == 9


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

    asked = await world.pauses.resume(match, Decider.MENTEE)
    assert (asked.match["status"], asked.waiting_for) == ("paused", ["mentor"])
    assert await of_type(world, match["match_id"], RESUMED) == []
    both = await world.pauses.resume(match, Decider.MENTOR)
    assert (both.match["status"], both.waiting_for) == ("confirmed", [])
    [resumed] = await of_type(world, match["match_id"], RESUMED)
    assert resumed["by"] == "participants"


async def test_a_person_withdraws_their_request_and_it_lapses_after_a_week(
    world: World,
) -> None:
    match = await confirmed_match(world)
    await world.pauses.pause(match, Decider.MENTOR, 2, "conference")
    withdrawn = await world.pauses.withdraw(match, Decider.MENTOR, "pause")
    assert withdrawn["pause_requests"] == {}
    with pytest.raises(Conflict) as none_left:
        await world.pauses.withdraw(match, Decider.MENTOR, "pause")
    assert none_left.value.body["field"] == "pause_request"
    alone = await world.pauses.pause(match, Decider.MENTEE, 1, "exams")
    assert (alone.match["status"], alone.waiting_for) == ("confirmed", ["mentor"])

    world.now[0] += timedelta(days=7)
    lapsed = await world.pauses.pause(match, Decider.MENTOR, 1, "conference")
    assert (lapsed.match["status"], lapsed.waiting_for) == ("confirmed", ["mentee"])
    assert set(lapsed.match["pause_requests"]) == {"mentor"}
    assert await of_type(world, match["match_id"], PAUSED) == []


def escalation(
    match_id: str,
    case_id: str,
    action: EscalationAction = EscalationAction.PAUSE,
    trigger: EscalationTrigger = EscalationTrigger.BOOKING_FAILED,
) -> Any:
    raised = EscalationRaised(
        case_id=case_id,
        match_id=match_id,
        trigger=trigger,
        severity=Severity.MEDIUM,
        action=action,
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
    assert paused["reason"] == "paused by the program team"  # the pair sees it
    with pytest.raises(Conflict) as not_theirs:
        await world.pauses.resume(match, Decider.MENTOR)
    assert not_theirs.value.body["reason"] == (
        "paused by QA: only the program's team can resume it"
    )
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


async def test_a_qa_rematch_tells_the_pair_nothing_of_the_trigger(world: World) -> None:
    match = await confirmed_match(world)
    then = FollowUps(world.runs, world.matchmaker, world.rematcher, world.pauses)
    raised = escalation(
        match["match_id"], "case-9", EscalationAction.REMATCH, EscalationTrigger.RISK_FLAG
    )
    await then.escalation(raised)
    [ended] = await of_type(world, match["match_id"], ENDED)
    assert ended["cause"] == "escalation"
    assert ended["detail"] == "rematched by the program team, case case-9"
    assert "risk" not in ended["detail"]


async def test_an_async_program_pairs_people_with_no_shared_hour_and_keeps_them(
    world: World,
) -> None:
    """Tokyo 09-10 and New York 09-10 never meet live; in an async program they are
    paired, and a change of availability does not end their confirmed match."""
    mornings = [{"weekday": d, "start": "09:00", "end": "10:00"} for d in ("mon", "wed")]
    tokyo = availability("Asia/Tokyo", mornings)
    new_york = availability("America/New_York", mornings)
    await world.program(session_format="async")
    await world.add(
        mentee("e1", ("python", 5), availability=tokyo),
        mentor("m0", ("python", 5), availability=new_york),
    )
    await world.batch()
    match = await world.decisions.accept(await world.match_of("e1"), Decider.MENTOR)
    assert match["format"] == "async"

    evenings = [{"weekday": "sat", "start": "18:00", "end": "19:00"}]
    await world.add(mentor("m0", ("python", 5), availability=availability(weekly=evenings)))
    await world.rematcher.availability_changed("m0", "mentor_id")
    await world.rematcher.availability_changed("e1", "mentee_id")
    state = await world.stores.match(match["match_id"])
    assert state is not None
    assert state["status"] == "confirmed"
    assert await of_type(world, match["match_id"], ENDED) == []
