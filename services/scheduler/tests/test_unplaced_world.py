"""Unplaced dates on the real MongoDB-wire server: kept on the match and announced,
seated per date in a cohort, booked when availability changes, filled by a hand
booking; a match that got nothing is booked afresh when the windows meet again."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.participants import AvailabilityUpdated
from mentornet_contracts.events.sessions import SessionType
from mentornet_scheduler.domain import calendars, matches
from mentornet_scheduler.domain.state import Match
from pymongo import AsyncMongoClient

from .world import World, weekly

pytestmark = pytest.mark.integration

NOW = datetime(2027, 2, 26, 9, 0, tzinfo=UTC)
FAILED = "mentornet.session.booking.failed.v2"


@pytest.fixture
async def world(mongo: AsyncMongoClient[dict[str, Any]], unique: str) -> World:
    return World.on(mongo[f"unplaced_{unique}"], NOW)


async def failures(world: World, match_id: str) -> list[dict[str, Any]]:
    doc = await world.stores.matches.collection.find_one({"_id": match_id})
    return [json.loads(e["value"]) for e in (doc or {}).get("outbox", []) if e["type"] == FAILED]


async def state_of(world: World, match_id: str) -> Match:
    state = await world.stores.match_states.get(match_id)
    assert state is not None
    return state


def sequences(match: Match) -> list[int]:
    return sorted(s["sequence"] for s in match["sessions"] if s["status"] == "scheduled")


def unplaced_of(match: Match) -> list[tuple[int, str]]:
    return [(n["sequence"], n["reason"]) for n in match.get("unplaced", [])]


async def new_availability(world: World, pid: str, value: dict[str, Any]) -> None:
    event = AvailabilityUpdated(participant_id=pid, availability=Availability.model_validate(value))
    await world.stores.calendar_states.apply(
        pid, lambda current: Change(calendars.on_availability_updated(current, event))
    )
    await world.replanner.availability_changed(pid)
    await world.booker.pending(await world.stores.matches_of(pid))


async def gap_pair(world: World, *mentor_extra: tuple[str, str, str]) -> Match:
    """Berlin 18:00 meets New York 12:00 except between the US and EU switches."""
    await world.program(duration_weeks=6)
    await world.person(
        "mentor-1", "mentor", weekly("Europe/Berlin", ("tue", "18:00", "19:00"), *mentor_extra)
    )
    await world.person("mentee-1", "mentee", weekly("America/New_York", ("tue", "12:00", "13:00")))
    return await world.confirm("m-1", "mentor-1", "mentee-1")


async def test_dates_lost_to_a_clock_change_are_kept_announced_and_booked_when_windows_widen(
    world: World,
) -> None:
    match = await gap_pair(world)
    assert sequences(match) == [1, 2, 5, 6]
    assert unplaced_of(match) == [(3, "no_overlap"), (4, "no_overlap")]
    [failed] = await failures(world, "m-1")
    assert (failed["reason"], failed["planned"], failed["booked"]) == ("no_overlap", 6, 4)
    assert [u["sequence"] for u in failed["unplaced"]] == [3, 4]

    await new_availability(world, "mentee-1", weekly("America/New_York", ("tue", "12:00", "14:00")))
    after = await state_of(world, "m-1")
    assert sequences(after) == [1, 2, 3, 4, 5, 6]
    assert unplaced_of(after) == []
    held = await world.stores.ledger_states.get("mentor-1")
    assert held is not None
    assert len(held["bookings"]) == 6
    for sid in (s["session_id"] for s in after["sessions"]):
        assert await world.stores.match_with_session(sid) is not None


async def test_a_date_tried_again_that_still_fails_keeps_its_reason_up_to_date(
    world: World,
) -> None:
    match = await gap_pair(world)
    assert unplaced_of(match) == [(3, "no_overlap"), (4, "no_overlap")]
    wider = weekly("America/New_York", ("tue", "12:00", "14:00"))
    away = {"exceptions": [{"start_date": "2027-03-15", "end_date": "2027-03-24"}]}
    await new_availability(world, "mentee-1", {**wider, **away})
    after = await state_of(world, "m-1")
    assert sequences(after) == [1, 2, 5, 6]
    assert unplaced_of(after) == [(3, "exception"), (4, "exception")]
    assert {n["attendee_id"] for n in after["unplaced"]} == {"mentee-1"}
    told = await failures(world, "m-1")
    assert [f["reason"] for f in told] == ["no_overlap", "exception"]
    assert [(u["sequence"], u["reason"]) for u in told[-1]["unplaced"]] == [
        (3, "exception"),
        (4, "exception"),
    ]
    await new_availability(world, "mentee-1", {**wider, **away})
    assert len(await failures(world, "m-1")) == 2, "the same reason is not announced again"


async def test_a_hand_booking_fills_the_earliest_unplaced_date(world: World) -> None:
    match = await gap_pair(world, ("sat", "10:00", "12:00"))
    assert unplaced_of(match) == [(3, "no_overlap"), (4, "no_overlap")]
    await world.stores.calendar_states.apply(
        "mentee-1",
        lambda current: Change(
            calendars.on_availability_updated(
                current,
                AvailabilityUpdated(
                    participant_id="mentee-1",
                    availability=Availability.model_validate(
                        weekly(
                            "America/New_York", ("tue", "12:00", "13:00"), ("sat", "04:00", "07:00")
                        )
                    ),
                ),
            )
        ),
    )
    saturday = datetime(2027, 3, 20, 9, 0, tzinfo=UTC)  # 10:00 Berlin, 05:00 New York
    added = await world.desk.add(match, saturday, SessionType.REGULAR, None)
    filled = [s for s in added["sessions"] if s["starts_at"] == saturday.isoformat()]
    assert [s["sequence"] for s in filled] == [3]
    assert unplaced_of(added) == [(4, "no_overlap")]


async def test_a_session_with_nowhere_to_go_becomes_an_unplaced_date_with_its_reason(
    world: World,
) -> None:
    match = await gap_pair(world)
    await new_availability(world, "mentor-1", weekly("Europe/Berlin", ("fri", "08:00", "09:00")))
    after = await state_of(world, "m-1")
    assert {s["status"] for s in after["sessions"]} == {"cancelled"}
    assert unplaced_of(after) == [(k, "no_overlap") for k in range(1, 7)]
    last = (await failures(world, "m-1"))[-1]
    assert (last["booked"], len(last["unplaced"])) == (0, 6)
    assert all(u["reason"] == "no_overlap" for u in last["unplaced"])
    assert len(match["sessions"]) == 4


async def test_a_match_that_got_nothing_is_booked_afresh_when_the_windows_meet(
    world: World,
) -> None:
    await world.program(duration_weeks=2)
    await world.person("mentor-1", "mentor", weekly("Asia/Kolkata", ("wed", "09:00", "12:00")))
    await world.person(
        "mentee-1", "mentee", weekly("America/Los_Angeles", ("wed", "09:00", "17:00"))
    )
    failed = await world.confirm("m-1", "mentor-1", "mentee-1")
    assert (failed["booking"], failed["sessions"]) == ("failed", [])
    assert [n["reason"] for n in failed.get("unplaced", [])] == ["no_overlap", "no_overlap"]
    await new_availability(
        world, "mentee-1", weekly("America/Los_Angeles", ("tue", "20:00", "23:00"))
    )
    booked = await state_of(world, "m-1")
    assert booked["booking"] == "booked"
    assert sequences(booked) == [1, 2]
    assert unplaced_of(booked) == []


async def test_a_cohort_seats_a_member_only_on_the_dates_before_their_window_stops_meeting(
    world: World,
) -> None:
    await world.program(tier="cohort", cohort_size=2, max_active_mentees_per_mentor=2)
    await world.person("mentor-1", "mentor", weekly("Europe/Berlin", ("tue", "17:00", "18:00")))
    await world.person("berlin", "mentee", weekly("Europe/Berlin", ("tue", "16:00", "19:00")))
    await world.person("sao", "mentee", weekly("America/Sao_Paulo", ("tue", "13:00", "14:00")))
    await world.confirm("m-b", "mentor-1", "berlin")
    await world.confirm("m-s", "mentor-1", "sao")
    assert await world.timers.run_once() == 1
    everyone, sao = await state_of(world, "m-b"), await state_of(world, "m-s")
    assert sequences(everyone) == list(range(1, 9))
    assert sequences(sao) == [1, 2, 3, 4]
    assert unplaced_of(sao) == [(k, "no_overlap") for k in (5, 6, 7, 8)]
    [failed] = await failures(world, "m-s")
    assert failed["cohort_id"] == matches.cohort_id("prog-1", "mentor-1")
    assert {u["attendee_id"] for u in failed["unplaced"]} == {"sao"}
    assert await failures(world, "m-b") == []

    await new_availability(world, "sao", weekly("America/Sao_Paulo", ("tue", "12:00", "14:00")))
    reseated = await state_of(world, "m-s")
    assert sequences(reseated) == list(range(1, 9))
    assert unplaced_of(reseated) == []
    await new_availability(world, "sao", weekly("America/Sao_Paulo", ("tue", "12:00", "13:00")))
    moved = await state_of(world, "m-s")
    assert sequences(moved) == [5, 6, 7, 8]
    assert unplaced_of(moved) == [(k, "no_overlap") for k in (1, 2, 3, 4)]
