"""What later changes do to booked sessions, and cohorts end to end, on the real
MongoDB-wire server: new availability moves or cancels what no longer fits and says
so, a withdrawal or erasure cancels what is ahead, a cohort settles on one slot and
books its members."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from mentornet_chassis.store.aggregates import Decision
from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.participants import AvailabilityUpdated
from mentornet_contracts.events.sessions import SessionType
from mentornet_scheduler.domain import calendars, matches, sessions
from mentornet_scheduler.domain.state import BookingState, Match
from pymongo import AsyncMongoClient

from .world import World, weekly

pytestmark = pytest.mark.integration

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
async def world(mongo: AsyncMongoClient[dict[str, Any]], unique: str) -> World:
    return World.on(mongo[f"replan_{unique}"], NOW)


async def booked_pair(world: World) -> Match:
    await world.program()
    await world.person(
        "mentor-1",
        "mentor",
        weekly("Europe/Berlin", ("tue", "17:00", "21:00"), ("wed", "17:00", "21:00")),
    )
    await world.person(
        "mentee-1",
        "mentee",
        weekly("Europe/Berlin", ("tue", "17:00", "21:00"), ("wed", "17:00", "21:00")),
    )
    return await world.confirm("m-1", "mentor-1", "mentee-1")


def replaced(new: Match, current: Match | None) -> Change[Match]:
    return Change(new)


async def new_availability(world: World, pid: str, value: dict[str, Any]) -> None:
    event = AvailabilityUpdated(participant_id=pid, availability=Availability.model_validate(value))
    await world.stores.calendar_states.apply(
        pid, lambda current: Change(calendars.on_availability_updated(current, event))
    )
    await world.replanner.availability_changed(pid)


async def test_sessions_that_no_longer_fit_move_to_the_nearest_time_and_say_why(
    world: World,
) -> None:
    before = await booked_pair(world)
    assert {
        datetime.fromisoformat(s["starts_at"]).astimezone(BERLIN).strftime("%a")
        for s in before["sessions"]
    } == {"Tue"}
    await new_availability(world, "mentee-1", weekly("Europe/Berlin", ("wed", "17:00", "21:00")))
    after = await world.stores.matches.get_state("m-1")
    assert after is not None
    days = {
        datetime.fromisoformat(s["starts_at"]).astimezone(BERLIN).strftime("%a %H:%M")
        for s in after["sessions"]
    }
    assert days == {"Wed 17:00"}
    assert all(s["revision"] == 1 for s in after["sessions"])
    outbox = await world.outbox("m-1")
    assert outbox.count("mentornet.session.rescheduled.v2") == len(after["sessions"])
    doc = await world.stores.matches.collection.find_one({"_id": "m-1"})
    assert doc is not None
    reasons = {e["value"] for e in doc["outbox"] if e["type"] == "mentornet.session.rescheduled.v2"}
    assert all(
        "the mentee's availability changed: outside the mentee's availability" in r for r in reasons
    )


async def test_when_nothing_fits_any_more_sessions_are_cancelled_and_coordinators_told(
    world: World,
) -> None:
    await booked_pair(world)
    await new_availability(world, "mentor-1", weekly("Europe/Berlin", ("fri", "08:00", "09:00")))
    after = await world.stores.matches.get_state("m-1")
    assert after is not None
    assert {s["status"] for s in after["sessions"]} == {"cancelled"}
    outbox = await world.outbox("m-1")
    assert outbox.count("mentornet.session.booking.failed.v2") == len(after["sessions"])
    held = await world.stores.ledgers.get_state("mentor-1")
    assert held is not None
    assert held["bookings"] == {}


async def test_an_erased_participant_has_future_sessions_cancelled_and_their_zone_forgotten(
    world: World,
) -> None:
    before = await booked_pair(world)
    world.clock.now = datetime.fromisoformat(before["sessions"][0]["starts_at"]) + timedelta(
        hours=2
    )
    await world.stores.calendars.apply(
        "mentee-1", lambda _: Decision(state={"participant_id": "mentee-1", "status": "erased"})
    )
    await world.replanner.left("mentee-1", erased=True)
    after = await world.stores.matches.get_state("m-1")
    assert after is not None
    assert [s["status"] for s in after["sessions"]][:2] == ["scheduled", "cancelled"]
    assert {s["status"] for s in after["sessions"][1:]} == {"cancelled"}
    assert all(
        t["participant_id"] != "mentee-1" for s in after["sessions"] for t in s["local_times"]
    )
    held = await world.stores.ledgers.get_state("mentor-1")
    assert held is not None
    assert set(held["bookings"]) == {before["sessions"][0]["booking_id"]}


async def test_a_cohort_settles_on_the_slot_most_can_attend_and_books_each_member(
    world: World,
) -> None:
    world.clock.now = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # months from any DST change
    await world.program(tier="cohort", cohort_size=3, max_active_mentees_per_mentor=3)
    await world.person("mentor-1", "mentor", weekly("Europe/Berlin", ("tue", "09:00", "20:00")))
    await world.person("ny-1", "mentee", weekly("America/New_York", ("tue", "11:00", "14:00")))
    await world.person("ny-2", "mentee", weekly("America/New_York", ("tue", "12:00", "13:30")))
    await world.person("tokyo", "mentee", weekly("Asia/Tokyo", ("tue", "09:00", "10:00")))
    for i, mentee in enumerate(("ny-1", "ny-2", "tokyo")):
        joined = await world.confirm(f"m-{i}", "mentor-1", mentee)
        assert joined["booking"] == BookingState.COHORT
    assert await world.timers.run_once() == 1
    cohort = await world.stores.cohorts.get_state(matches.cohort_id("prog-1", "mentor-1"))
    assert cohort is not None
    assert (cohort["status"], cohort["slot"]["weekday"], cohort["slot"]["local_start"]) == (
        "scheduled",
        "tue",
        "18:00",
    )
    assert set(cohort["attending"]) == {"ny-1", "ny-2"}
    first, second, tokyo = [await world.stores.matches.get_state(f"m-{i}") for i in range(3)]
    assert first is not None
    assert second is not None
    assert tokyo is not None
    assert [s["starts_at"] for s in first["sessions"]] == [
        s["starts_at"] for s in second["sessions"]
    ]
    assert len(first["sessions"]) == 8
    assert tokyo["sessions"] == []
    assert tokyo["failure"]["reason"] == "cohort_slot"
    held = await world.stores.ledgers.get_state("mentor-1")
    assert held is not None
    assert len(held["bookings"]) == 8
    assert "mentornet.cohort.slot.chosen.v2" in [
        e["type"]
        for e in (
            await world.stores.cohorts.collection.find_one({"_id": cohort["cohort_id"]}) or {}
        )["outbox"]
    ]


async def test_a_session_that_still_fits_stays_even_inside_the_booking_lead(world: World) -> None:
    before = await booked_pair(world)
    first = datetime.fromisoformat(before["sessions"][0]["starts_at"])
    world.clock.now = first - timedelta(hours=3)
    await new_availability(
        world,
        "mentee-1",
        weekly(
            "Europe/Berlin",
            ("mon", "09:00", "10:00"),
            ("tue", "17:00", "21:00"),
            ("wed", "17:00", "21:00"),
        ),
    )
    after = await world.stores.matches.get_state("m-1")
    assert after is not None
    assert after["sessions"] == before["sessions"]


async def test_a_withdrawn_mentee_frees_the_mentors_time(world: World) -> None:
    await booked_pair(world)
    await world.replanner.left("mentee-1", erased=False)
    held = await world.stores.ledgers.get_state("mentor-1")
    assert held is not None
    assert held["bookings"] == {}


async def test_a_cohort_gives_its_time_back_when_its_last_member_ends(world: World) -> None:
    world.clock.now = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    await world.program(tier="cohort", cohort_size=2, max_active_mentees_per_mentor=2)
    await world.person("mentor-1", "mentor", weekly("Europe/Berlin", ("tue", "09:00", "20:00")))
    for mentee in ("a", "b"):
        await world.person(mentee, "mentee", weekly("Europe/Berlin", ("tue", "09:00", "20:00")))
    await world.confirm("m-a", "mentor-1", "a")
    await world.confirm("m-b", "mentor-1", "b")
    await world.timers.run_once()
    extra = await world.stores.match_states.get("m-a")
    assert extra is not None
    added = await world.desk.add(
        extra, datetime(2027, 1, 12, 14, 0, tzinfo=UTC), SessionType.MILESTONE_REVIEW, None
    )
    assert added["booking"] == BookingState.COHORT
    for match_id in ("m-a", "m-b"):
        state = await world.stores.match_states.get(match_id)
        assert state is not None
        ended, _ = sessions.end(state, world.clock(), "done")
        await world.stores.match_states.apply(match_id, partial(replaced, ended))
        await world.replanner.match_ended(ended)
    held = await world.stores.ledgers.get_state("mentor-1")
    assert held is not None
    assert held["bookings"] == {}


async def test_a_member_of_a_cohort_sees_only_their_own_place_and_erasure_leaves_no_trace(
    world: World,
) -> None:
    await test_a_cohort_settles_on_the_slot_most_can_attend_and_books_each_member(world)
    cid = matches.cohort_id("prog-1", "mentor-1")
    await world.replanner.left("tokyo", erased=True)
    cohort = await world.stores.cohorts.get_state(cid)
    assert cohort is not None
    assert "tokyo" not in cohort["members"].values()
    assert "tokyo" not in cohort["unable"]
