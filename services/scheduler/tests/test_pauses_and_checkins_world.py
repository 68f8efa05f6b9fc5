"""Pause, resume and async check-ins on the real MongoDB-wire server: a pause gives
the mentor's time back and books nothing, the resume re-plans the rest inside both
calendars and the ledger, a match still waiting is booked on resume, and an async
match gets check-ins (no ledger), settles them once and stalls on missed ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.common import Availability, Role, SessionFormat
from mentornet_contracts.events.feedback import CheckinSubmitted
from mentornet_contracts.events.matches import (
    MatchConfirmed,
    MatchPaused,
    MatchResumed,
    PauseActor,
)
from mentornet_contracts.events.participants import AvailabilityUpdated
from mentornet_contracts.events.sessions import SessionType
from mentornet_scheduler.domain import calendars, checkins, matches, on_hold, pauses
from mentornet_scheduler.domain.state import BookingState, Match, MatchStatus
from mentornet_scheduler.domain.windows import zone
from mentornet_scheduler.store import SERVICE
from mentornet_scheduler.usecases.checkins import CheckinDesk
from mentornet_scheduler.usecases.pauses import PauseDesk
from pymongo import AsyncMongoClient

from .builders import NOW
from .world import World, weekly

pytestmark = pytest.mark.integration

BERLIN = weekly("Europe/Berlin", ("tue", "17:00", "21:00"), ("thu", "17:00", "21:00"))
NEW_YORK = weekly("America/New_York", ("tue", "09:00", "17:00"), ("thu", "09:00", "17:00"))
PAIR = {"match_id": "m-1", "mentee_id": "mentee-1", "mentor_id": "mentor-1", "program_id": "prog-1"}


@dataclass
class Desks:
    world: World
    pauses: PauseDesk
    checkins: CheckinDesk

    async def match(self) -> Match:
        state = await self.world.stores.match_states.get("m-1")
        assert state is not None
        return state

    async def pause(self, at: datetime, weeks: int = 4) -> Match:
        event = MatchPaused(
            **PAIR,
            by=PauseActor.COORDINATOR,
            reason="mentee on a launch",
            paused_at=at,
            resume_by=at + timedelta(weeks=weeks),
        )
        await self.world.stores.match_states.apply(
            "m-1", lambda s: Change.announced(*pauses.paused(s, event), SERVICE)
        )
        await self.pauses.paused(await self.match())
        return await self.match()

    async def resume(self, at: datetime) -> Match:
        event = MatchResumed(**PAIR, by=PauseActor.SCHEDULE, resumed_at=at)
        await self.world.stores.match_states.apply(
            "m-1", lambda s: Change(pauses.resuming(s, event))
        )
        await self.pauses.resume("m-1")
        await self.pauses.resume("m-1")  # a redelivery's follow-up: nothing more
        return await self.match()

    async def submit(self, index: int, role: Role, complete: bool) -> None:
        match = await self.match()
        session = match["sessions"][index]
        event = CheckinSubmitted(
            match_id="m-1",
            session_id=session["session_id"],
            role=role,
            submitted_at=datetime.fromisoformat(session["starts_at"]) + timedelta(hours=1),
            complete=complete,
        )
        await self.world.stores.match_states.apply(
            "m-1", lambda s: Change.announced(*checkins.submitted(s, event), SERVICE)
        )


@pytest.fixture
async def desks(mongo: AsyncMongoClient[dict[str, Any]], unique: str) -> Desks:
    world = World.on(mongo[f"pause_{unique}"], NOW)
    contexts, clockwork = world.desk.contexts, world.desk.clockwork
    checkin_desk = CheckinDesk(world.stores, contexts, clockwork)
    pause_desk = PauseDesk(
        world.stores, contexts, world.desk.reservations, clockwork, world.booker, checkin_desk
    )
    return Desks(world, pause_desk, checkin_desk)


def ahead(match: Match, now: datetime) -> list[datetime]:
    return sorted(
        datetime.fromisoformat(s["starts_at"])
        for s in match["sessions"]
        if s["status"] == "scheduled" and datetime.fromisoformat(s["starts_at"]) > now
    )


async def ledger_ids(world: World) -> set[str]:
    held = await world.stores.ledger_states.get("mentor-1")
    return set(held["bookings"]) if held else set()


async def test_a_pause_books_nothing_and_the_resume_replans_the_rest(desks: Desks) -> None:
    world = desks.world
    await world.program()
    await world.person("mentor-1", "mentor", BERLIN)
    await world.person("mentee-1", "mentee", NEW_YORK)
    booked = await world.confirm("m-1", "mentor-1", "mentee-1")
    assert len(booked["sessions"]) == 8
    paused_at = datetime.fromisoformat(booked["sessions"][1]["starts_at"]) + timedelta(hours=3)
    world.clock.now = paused_at
    paused = await desks.pause(paused_at)
    cancelled = [s for s in paused["sessions"] if s["status"] == "cancelled"]
    assert cancelled
    assert {s["reason"] for s in cancelled} == {"match paused: mentee on a launch"}
    assert all(
        paused_at <= datetime.fromisoformat(s["starts_at"]) < paused_at + timedelta(weeks=4)
        for s in cancelled
    )
    assert await ledger_ids(world) == {
        s["booking_id"] for s in paused["sessions"] if s["status"] == "scheduled"
    }

    world.clock.now = paused_at + timedelta(weeks=2)
    await world.booker.pending([paused])
    assert await world.timers.run_once() == 0, "a paused match has no timer"
    with pytest.raises(on_hold.MatchOnHold):
        await world.desk.add(paused, world.clock.now + timedelta(days=5), SessionType.REGULAR, None)
    assert await desks.match() == paused
    assert "mentornet.session.reminder.due.v1" not in await world.outbox("m-1")

    resumed_at = paused_at + timedelta(weeks=4)
    world.clock.now = resumed_at
    resumed = await desks.resume(resumed_at)
    assert resumed["status"] == MatchStatus.ACTIVE
    assert resumed["last_activity_at"] == resumed_at.isoformat()
    starts = ahead(resumed, resumed_at)
    assert len(starts) == 6, "the 8 planned less the 2 held before the pause"
    assert starts[0] >= resumed_at + timedelta(hours=24)
    for start in starts:
        local = start.astimezone(zone("Europe/Berlin"))
        assert local.strftime("%a") in ("Tue", "Thu")
        assert "17:00" <= local.strftime("%H:%M") <= "20:00"
    scheduled = {
        s["booking_id"]
        for s in resumed["sessions"]
        if s["status"] == "scheduled" and datetime.fromisoformat(s["starts_at"]) > resumed_at
    }
    assert scheduled <= await ledger_ids(world)
    outbox = await world.outbox("m-1")
    assert outbox.count("mentornet.session.scheduled.v2") == 8 + len(cancelled)
    assert "mentornet.session.booking.failed.v2" not in outbox


async def test_a_paused_match_takes_no_session_by_hand_and_says_until_when(desks: Desks) -> None:
    world = desks.world
    await world.program()
    await world.person("mentor-1", "mentor", BERLIN)
    await world.person("mentee-1", "mentee", NEW_YORK)
    booked = await world.confirm("m-1", "mentor-1", "mentee-1")
    paused_at = datetime.fromisoformat(booked["sessions"][1]["starts_at"]) + timedelta(hours=3)
    world.clock.now = paused_at
    paused = await desks.pause(paused_at, weeks=2)
    resume_by = paused["pause"]["resume_by"]
    later = next(
        s for s in paused["sessions"] if s["status"] == "scheduled" and s["starts_at"] > resume_by
    )
    into_pause = datetime.fromisoformat(booked["sessions"][2]["starts_at"])
    with pytest.raises(on_hold.MatchOnHold) as moved:
        await world.desk.reschedule(paused, later["session_id"], into_pause, "sooner")
    refusal = moved.value
    assert (refusal.status, refusal.field) == (409, "match_id")
    assert refusal.reason == f"the match is paused until {resume_by} (mentee on a launch)"
    assert refusal.body["match_status"] == "paused"
    assert refusal.body["pause"]["resume_by"] == resume_by
    with pytest.raises(on_hold.MatchOnHold) as added:
        await world.desk.add(paused, into_pause, SessionType.REGULAR, None)
    assert "has ended" not in added.value.reason
    assert await desks.match() == paused, "nothing moved, nothing added"


async def test_a_match_paused_before_it_was_booked_is_booked_on_resume(desks: Desks) -> None:
    world = desks.world
    await world.person("mentor-1", "mentor", BERLIN)
    await world.person("mentee-1", "mentee", NEW_YORK)
    waiting = await world.confirm("m-1", "mentor-1", "mentee-1")
    assert waiting["booking"] == BookingState.PENDING
    await desks.pause(NOW, weeks=2)
    await world.program()
    await world.booker.pending(await world.stores.matches_of("mentee-1"))
    assert (await desks.match())["sessions"] == []
    world.clock.now = NOW + timedelta(weeks=1)
    resumed = await desks.resume(world.clock.now)
    assert resumed["booking"] == BookingState.BOOKED
    assert len(ahead(resumed, world.clock.now)) == 8


async def confirm_async(desks: Desks, fmt: SessionFormat | None) -> Match:
    event = MatchConfirmed(**PAIR, format=fmt)
    world = desks.world
    await world.stores.match_states.apply(
        "m-1", lambda s: Change(checkins.confirmed(s, event, world.clock()))
    )
    assert await desks.checkins.take("m-1")
    await world.booker.book("m-1")  # live booking is not for it
    return await desks.match()


async def test_an_async_match_meets_by_check_ins_without_the_ledger(desks: Desks) -> None:
    world = desks.world
    await world.program()
    match = await confirm_async(desks, SessionFormat.ASYNC)
    assert match["booking"] == BookingState.BOOKED
    assert len(match["sessions"]) == 8
    assert all(s["format"] == "async" for s in match["sessions"])
    assert await ledger_ids(world) == set()
    assert (await world.outbox("m-1")).count("mentornet.session.scheduled.v2") == 8

    await desks.submit(0, Role.MENTEE, False)
    await desks.submit(0, Role.MENTOR, True)
    await desks.submit(0, Role.MENTOR, True)
    assert (await desks.match())["sessions"][0]["status"] == "completed"
    assert (await world.outbox("m-1")).count("mentornet.session.completed.v1") == 1

    await desks.submit(1, Role.MENTEE, False)
    world.clock.now = datetime.fromisoformat(match["sessions"][2]["due_at"])
    await world.timers.run_once()
    after = await desks.match()
    assert [s["status"] for s in after["sessions"][:4]] == [
        "completed",
        "missed",
        "missed",
        "scheduled",
    ]
    outbox = await world.outbox("m-1")
    assert outbox.count("mentornet.session.missed.v2") == 2
    assert "mentornet.match.stalled.v1" in outbox


async def test_a_match_in_an_async_program_gets_check_ins(desks: Desks) -> None:
    await desks.world.program(session_format="async")
    match = await confirm_async(desks, None)
    assert match["format"] == "async"
    assert len(match["sessions"]) == 8
    assert match["sessions"][0]["session_id"] == matches.session_id("m-1", 1)


async def test_an_async_match_resumes_with_check_ins_from_the_resume(desks: Desks) -> None:
    world = desks.world
    await world.program()
    match = await confirm_async(desks, SessionFormat.ASYNC)
    paused_at = datetime.fromisoformat(match["sessions"][1]["starts_at"]) + timedelta(days=1)
    world.clock.now = paused_at
    paused = await desks.pause(paused_at, weeks=3)
    assert [s["status"] for s in paused["sessions"][:6]] == ["scheduled"] + ["cancelled"] * 4 + [
        "scheduled"
    ]
    world.clock.now = paused_at + timedelta(weeks=3)
    resumed = await desks.resume(world.clock.now)
    open_ = [s for s in resumed["sessions"] if s["status"] == "scheduled"]
    later = sorted(
        (s for s in open_ if datetime.fromisoformat(s["starts_at"]) > world.clock.now),
        key=lambda s: s["starts_at"],
    )
    assert len(later) == 7
    first = datetime.fromisoformat(later[0]["starts_at"])
    assert first == world.clock.now + timedelta(hours=24)
    assert all(
        datetime.fromisoformat(s["due_at"]) - datetime.fromisoformat(s["starts_at"])
        == timedelta(weeks=1)
        for s in later
    )


async def test_new_availability_leaves_check_ins_where_they_are(desks: Desks) -> None:
    world = desks.world
    await world.program()
    await world.person("mentor-1", "mentor", BERLIN)
    await world.person("mentee-1", "mentee", NEW_YORK)
    before = await confirm_async(desks, SessionFormat.ASYNC)
    assert before["sessions"][0]["local_times"], "local times where calendars are known"
    event = AvailabilityUpdated(
        participant_id="mentee-1",
        availability=Availability.model_validate(weekly("Asia/Tokyo", ("sun", "06:00", "07:00"))),
    )
    await world.stores.calendar_states.apply(
        "mentee-1", lambda current: Change(calendars.on_availability_updated(current, event))
    )
    asked: list[str] = []
    contexts = world.replanner.contexts
    pair = contexts.pair

    async def counted(match: Match) -> Any:
        asked.append(match["match_id"])
        return await pair(match)

    contexts.pair = counted  # type: ignore[method-assign]
    try:
        await world.replanner.availability_changed("mentee-1")
    finally:
        contexts.pair = pair  # type: ignore[method-assign]
    assert asked == [], "check-ins are skipped, not refitted against live windows"
    after = await desks.match()
    assert [s["starts_at"] for s in after["sessions"]] == [
        s["starts_at"] for s in before["sessions"]
    ]
    assert {s["status"] for s in after["sessions"]} == {"scheduled"}
