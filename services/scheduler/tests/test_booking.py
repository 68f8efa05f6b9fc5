"""Booking on the real MongoDB-wire server: a confirmed match gets its series, the
monthly hour cap holds under concurrent bookings, a missing calendar waits, and the
desk refuses bad moves with reasons."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mentornet_chassis.store.aggregates import Decision
from mentornet_contracts.events.sessions import Attendance, SessionType
from mentornet_scheduler.domain import ledger, sessions
from mentornet_scheduler.domain.state import Match
from mentornet_scheduler.domain.views import Viewer
from mentornet_scheduler.domain.windows import UnknownZone, zone
from pymongo import AsyncMongoClient

from .world import World, weekly

MENTOR = Viewer(frozenset({"mentor-1"}))

pytestmark = pytest.mark.integration

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
BERLIN_EVENINGS = weekly("Europe/Berlin", ("tue", "17:00", "21:00"), ("thu", "17:00", "21:00"))
NEW_YORK_DAYS = weekly("America/New_York", ("tue", "09:00", "17:00"), ("thu", "09:00", "17:00"))


@pytest.fixture
async def world(mongo: AsyncMongoClient[dict[str, Any]], unique: str) -> World:
    return World.on(mongo[f"sched_{unique}"], NOW)


async def test_a_confirmed_match_gets_its_series_and_its_events(world: World) -> None:
    await world.program()
    await world.person("mentor-1", "mentor", BERLIN_EVENINGS)
    await world.person("mentee-1", "mentee", NEW_YORK_DAYS)
    match = await world.confirm("m-1", "mentor-1", "mentee-1")
    assert match["booking"] == "booked"
    assert len(match["sessions"]) == 8
    assert (await world.outbox("m-1")).count("mentornet.session.scheduled.v2") == 8
    held = await world.stores.ledger_states.get("mentor-1")
    assert held is not None
    assert len(held["bookings"]) == 8
    again = await world.confirm("m-1", "mentor-1", "mentee-1")
    assert again["sessions"] == match["sessions"]


async def test_a_match_waits_for_a_calendar_then_books_when_it_arrives(world: World) -> None:
    await world.program()
    await world.person("mentor-1", "mentor", BERLIN_EVENINGS)
    waiting = await world.confirm("m-1", "mentor-1", "mentee-1")
    assert waiting["booking"] == "pending"
    assert "mentee" in waiting["waiting"]
    await world.person("mentee-1", "mentee", NEW_YORK_DAYS)
    await world.booker.pending(await world.stores.matches_of("mentee-1"))
    booked = await world.stores.matches.get_state("m-1")
    assert booked is not None
    assert booked["booking"] == "booked"


async def test_the_monthly_hour_cap_holds_under_concurrent_bookings(world: World) -> None:
    """Ten mentees confirmed with one mentor at once: 4 hours a month each would be 40;
    the cap of 10 holds, whatever order the bookings land in, and is reached: the
    planning horizon (the program's 4 weeks plus 4) spans March and April, so exactly
    10 one-hour sessions are booked in each, and the other 20 asked for are refused
    as over the hour cap."""
    cap_hours, session_minutes, asked = 10, 60, 10 * 4
    await world.program(max_monthly_hours_per_mentor=cap_hours, duration_weeks=4)
    await world.person(
        "mentor-1",
        "mentor",
        weekly(
            "Europe/Berlin", *((d, "08:00", "20:00") for d in ("mon", "tue", "wed", "thu", "fri"))
        ),
    )
    for i in range(10):
        await world.person(
            f"e{i}",
            "mentee",
            weekly(
                "Europe/London",
                *((d, "07:00", "19:00") for d in ("mon", "tue", "wed", "thu", "fri")),
            ),
        )
    await asyncio.gather(*(world.confirm(f"m-{i}", "mentor-1", f"e{i}") for i in range(10)))

    held = await world.stores.ledger_states.get("mentor-1")
    by_month = ledger.minutes_by_month(held)
    assert by_month
    assert max(by_month.values()) <= 10 * 60
    booked = [
        s
        for i in range(10)
        for s in (await world.stores.matches.get_state(f"m-{i}") or {})["sessions"]
    ]
    assert sum(s["duration_minutes"] for s in booked) == sum(by_month.values())
    starts = sorted(datetime.fromisoformat(s["starts_at"]) for s in booked)
    assert all(b - a >= timedelta(minutes=75) for a, b in itertools.pairwise(starts))

    assert by_month == {"2027-03": cap_hours * 60, "2027-04": cap_hours * 60}
    per_month = cap_hours * 60 // session_minutes
    assert {s["duration_minutes"] for s in booked} == {session_minutes}
    assert len(booked) == per_month * len(by_month) == 20
    refused = 0
    for i in range(10):
        match = await world.stores.matches.get_state(f"m-{i}")
        assert match is not None
        short = 4 - len(match["sessions"])
        refused += short
        failure = match.get("failure")
        if short:
            assert failure is not None, match
            assert failure["reason"] == "hour_cap", failure
            assert "mentornet.session.booking.failed.v2" in await world.outbox(f"m-{i}")
            assert match["booking"] == ("booked" if match["sessions"] else "failed")
        else:
            assert failure is None, failure
    assert refused == asked - len(booked)


async def test_the_desk_refuses_bad_moves_with_reasons(world: World) -> None:
    await world.program()
    await world.person("mentor-1", "mentor", BERLIN_EVENINGS)
    await world.person("mentee-1", "mentee", NEW_YORK_DAYS)
    match = await world.confirm("m-1", "mentor-1", "mentee-1")
    first = match["sessions"][0]
    sid = first["session_id"]
    with pytest.raises(sessions.Invalid, match="in the past"):
        await world.desk.reschedule(match, sid, NOW - timedelta(days=1), "")
    with pytest.raises(sessions.Invalid, match="outside the mentor's availability"):
        await world.desk.reschedule(match, sid, datetime(2027, 3, 9, 9, 0, tzinfo=UTC), "")
    moved = await world.desk.reschedule(
        match, sid, datetime(2027, 3, 4, 17, 0, tzinfo=UTC), "travel"
    )
    assert moved["sessions"][0]["revision"] == 1
    cancelled = await world.desk.cancel(moved, sid, "sick")
    with pytest.raises(sessions.SessionConflict):
        await world.desk.reschedule(cancelled, sid, datetime(2027, 3, 11, 17, 0, tzinfo=UTC), "")
    held = await world.stores.ledger_states.get("mentor-1")
    assert held is not None
    assert first["booking_id"] not in held["bookings"]


async def test_two_no_shows_stall_the_match(world: World) -> None:
    await world.program()
    await world.person("mentor-1", "mentor", BERLIN_EVENINGS)
    await world.person("mentee-1", "mentee", NEW_YORK_DAYS)
    match = await world.confirm("m-1", "mentor-1", "mentee-1")
    world.clock.now = datetime.fromisoformat(match["sessions"][1]["starts_at"]) + timedelta(hours=1)
    for session in match["sessions"][:2]:
        match = await world.desk.attendance(
            match, session["session_id"], Attendance.MENTEE_NO_SHOW, MENTOR
        )
    assert "mentornet.match.stalled.v1" in await world.outbox("m-1")
    assert match["stalled"] == {"missed_sessions": True}


async def test_two_extra_sessions_added_at_once_both_stand_and_the_ledger_agrees(
    world: World,
) -> None:
    await world.program()
    await world.person("mentor-1", "mentor", BERLIN_EVENINGS)
    await world.person("mentee-1", "mentee", NEW_YORK_DAYS)
    match = await world.confirm("m-1", "mentor-1", "mentee-1")
    kind = SessionType.MILESTONE_REVIEW
    await asyncio.gather(
        world.desk.add(match, datetime(2027, 3, 4, 17, 0, tzinfo=UTC), kind, 30),
        world.desk.add(match, datetime(2027, 3, 11, 17, 0, tzinfo=UTC), kind, 30),
    )
    state = await world.stores.matches.get_state("m-1")
    held = await world.stores.ledger_states.get("mentor-1")
    assert state is not None
    assert held is not None
    assert len(state["sessions"]) == 10
    assert sorted(s["sequence"] for s in state["sessions"]) == list(range(1, 11))
    by_booking = {s["booking_id"]: s["starts_at"] for s in state["sessions"]}
    assert {k: v["start"] for k, v in held["bookings"].items()} == by_booking


async def test_a_match_ended_while_it_was_being_booked_gets_no_sessions(world: World) -> None:
    await world.program()
    await world.person("mentor-1", "mentor", BERLIN_EVENINGS)
    await world.person("mentee-1", "mentee", NEW_YORK_DAYS)
    hold = world.booker._hold

    async def hold_then_end(match: Match, pair: Any) -> Any:
        plan = await hold(match, pair)
        await world.stores.matches.apply(
            match["match_id"], lambda s: Decision({**(s or {}), "status": "ended"})
        )
        return plan

    world.booker._hold = hold_then_end  # type: ignore[method-assign]
    match = await world.confirm("m-1", "mentor-1", "mentee-1")
    assert match["sessions"] == []
    held = await world.stores.ledger_states.get("mentor-1")
    assert held is not None
    assert held["bookings"] == {}


async def test_one_broken_match_does_not_stop_the_timers_for_the_others(world: World) -> None:
    await world.program()
    await world.person("mentor-1", "mentor", BERLIN_EVENINGS)
    await world.person("mentee-1", "mentee", NEW_YORK_DAYS)
    good = await world.confirm("m-1", "mentor-1", "mentee-1")
    await world.stores.matches.apply(
        "m-broken", lambda _: Decision({"due_epoch": 0.0, "booking": "booked"})
    )
    world.clock.now = datetime.fromisoformat(good["sessions"][0]["starts_at"]) - timedelta(hours=23)
    assert await world.timers.run_once() == 2
    assert "mentornet.session.reminder.due.v1" in await world.outbox("m-1")
    broken = await world.stores.matches.get_state("m-broken")
    assert broken is not None
    assert broken["due_epoch"] > world.clock().timestamp()


async def test_recording_attendance_does_not_swallow_another_sessions_due_reminder(
    world: World,
) -> None:
    await world.program()
    await world.person("mentor-1", "mentor", BERLIN_EVENINGS)
    await world.person("mentee-1", "mentee", NEW_YORK_DAYS)
    match = await world.confirm("m-1", "mentor-1", "mentee-1")
    first, second = match["sessions"][:2]
    world.clock.now = datetime.fromisoformat(second["starts_at"]) - timedelta(hours=23)
    state = await world.desk.attendance(match, first["session_id"], Attendance.ATTENDED, MENTOR)
    assert state["sessions"][1]["reminders"] == {}
    await world.timers.run_once()
    assert (await world.outbox("m-1")).count("mentornet.session.reminder.due.v1") == 1


async def test_far_future_and_unknown_zones_are_refused_not_crashes(world: World) -> None:
    await world.program()
    await world.person("mentor-1", "mentor", BERLIN_EVENINGS)
    await world.person("mentee-1", "mentee", NEW_YORK_DAYS)
    match = await world.confirm("m-1", "mentor-1", "mentee-1")
    far = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    with pytest.raises(sessions.Invalid, match="days ahead"):
        await world.desk.add(match, far, SessionType.REGULAR, None)
    for name in ("America", "x" * 300, "../etc/passwd"):
        with pytest.raises(UnknownZone):
            zone(name)


async def test_one_person_in_two_programs_is_never_booked_twice_at_once(world: World) -> None:
    """Grace mentors under two enrolments (one person): her second match's sessions
    avoid her first's, and both hold time on one ledger, hers."""
    await world.program()
    for enrolment in ("grace-a", "grace-b"):
        await world.person(enrolment, "mentor", BERLIN_EVENINGS)
        await world.stores.people.enrol("grace", enrolment)
    await world.person("mentee-1", "mentee", NEW_YORK_DAYS)
    await world.person("mentee-2", "mentee", NEW_YORK_DAYS)
    first = await world.confirm("m-1", "grace-a", "mentee-1")
    second = await world.confirm("m-2", "grace-b", "mentee-2")
    assert first["booking"] == "booked"
    assert second["booking"] == "booked"

    def spans(match: Match) -> list[tuple[datetime, datetime]]:
        return [
            (
                datetime.fromisoformat(s["starts_at"]),
                datetime.fromisoformat(s["starts_at"]) + timedelta(minutes=s["duration_minutes"]),
            )
            for s in match["sessions"]
        ]

    clashes = [
        (a, b)
        for a, b in itertools.product(spans(first), spans(second))
        if a[0] < b[1] and b[0] < a[1]
    ]
    assert clashes == []
    held = await world.stores.ledgers.get_state("grace")
    assert held is not None
    assert len(held["bookings"]) == len(first["sessions"]) + len(second["sessions"])
    assert await world.stores.ledgers.get_state("grace-a") is None
