"""The scheduler on the real broker and store: a confirmed match is booked across time
zones, a pair with no shared hours hears why, two no-shows stall the match, reminders
fire once per offset across a restart on a controllable clock, and the HTTP API
serves sessions, refusals and iCalendar."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest
from mentornet_contracts.catalogue import SESSIONS
from mentornet_contracts.events.common import Role, SessionFormat
from mentornet_contracts.events.feedback import CheckinSubmitted
from mentornet_contracts.events.matches import (
    MatchConfirmed,
    MatchPaused,
    MatchResumed,
    PauseActor,
)
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.kafka import all_records, find_records, header, kind_of

from tests.conftest import SchedulerOn
from tests.support.events import person, program, publish
from tests.support.helpers import token

pytestmark = pytest.mark.integration

START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
TIMER_PASSES_S = 1.0
"""Several passes of the test scheduler's timers (every 0.2 s): time for a duplicate
reminder to appear if the service were going to send one."""
BERLIN = {
    "timezone": "Europe/Berlin",
    "weekly": [{"weekday": "tue", "start": "18:00", "end": "20:00"}],
}
NEW_YORK = {
    "timezone": "America/New_York",
    "weekly": [{"weekday": "tue", "start": "09:00", "end": "17:00"}],
}


async def session_events(
    stack: Endpoints, match_id: str, kind: str, count: int = 1, timeout: float = 30
) -> list[dict[str, Any]]:
    records = await find_records(
        stack.bootstrap_servers,
        SESSIONS.name,
        lambda r: r.key == match_id.encode() and kind_of(r) == kind,
        count=count,
        timeout=timeout,
    )
    return [json.loads(r.value) for r in records]


async def scheduled_in_order(
    stack: Endpoints, match_id: str, count: int = 6
) -> list[dict[str, Any]]:
    """The match's session.scheduled events, earliest start first."""
    found = await session_events(stack, match_id, "session.scheduled", count=count)
    return sorted(found, key=lambda e: e["starts_at"])


async def pair(
    stack: Endpoints, unique: str, mentor: dict[str, Any], mentee: dict[str, Any], **rules: Any
) -> str:
    program_id, match_id = f"prog-{unique}", f"m-{unique}"
    published = program(program_id).model_copy(update=rules)
    await publish(
        stack,
        published,
        person(
            MentorRegistered,
            f"mentor-{unique}",
            program_id,
            skills=[{"skill_id": "python", "level": 5}],
            availability=mentor,
        ),
        person(MenteeRegistered, f"mentee-{unique}", program_id, availability=mentee),
        MatchConfirmed(
            match_id=match_id,
            mentee_id=f"mentee-{unique}",
            mentor_id=f"mentor-{unique}",
            program_id=program_id,
        ),
    )
    return match_id


async def test_a_confirmed_match_is_booked_in_both_zones_and_served_as_icalendar(
    stack: Endpoints, scheduler_on: SchedulerOn, unique: str
) -> None:
    clock = MovableClock(START)
    async with scheduler_on(clock) as scheduler:
        match_id = await pair(stack, unique, BERLIN, NEW_YORK)
        scheduled = await session_events(stack, match_id, "session.scheduled", count=6)
        first = min(scheduled, key=lambda e: e["starts_at"])
        local = {t["participant_id"]: t["local_start"] for t in first["local_times"]}
        assert local == {
            f"mentor-{unique}": "2027-03-02T18:00:00+01:00",
            f"mentee-{unique}": "2027-03-02T12:00:00-05:00",
        }
        assert first["session_type"] == "kickoff"

        mentee = token(f"mentee-{unique}", "mentee")
        listed = (
            await scheduler.http.get(f"/participants/mentee-{unique}/sessions", headers=mentee)
        ).json()
        assert len(listed["sessions"]) == 6
        other = await scheduler.http.get(
            f"/participants/mentee-{unique}/sessions", headers=token("x", "mentee")
        )
        assert other.status_code == 404, "another person's sessions: they are not known to exist"

        ics = await scheduler.http.get(f"/sessions/{first['session_id']}.ics", headers=mentee)
        assert ics.status_code == 200, ics.text
        assert ics.headers["content-type"].startswith("text/calendar")
        [event] = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
        assert event.decoded("dtstart") == datetime.fromisoformat(first["starts_at"])
        assert event.decoded("dtstart").tzinfo.key == "America/New_York"

        feed = (
            await scheduler.http.get(f"/participants/mentee-{unique}/calendar-feed", headers=mentee)
        ).json()
        served = await scheduler.http.get(feed["url"][feed["url"].index("/calendars/") :])
        assert served.status_code == 200
        assert len(icalendar.Calendar.from_ical(served.content).walk("VEVENT")) == 6
        forged = await scheduler.http.get(
            f"/calendars/mentee-{unique}.ics?expires=99999999999&key=0000"
        )
        assert forged.status_code == 403
        rotated = await scheduler.http.post(
            f"/participants/mentee-{unique}/calendar-feed/rotate", headers=mentee
        )
        assert rotated.json()["url"] != feed["url"]
        old_link = await scheduler.http.get(feed["url"][feed["url"].index("/calendars/") :])
        assert old_link.status_code == 403
        not_mine = await scheduler.http.get(
            f"/participants/mentor-{unique}/calendar-feed", headers=mentee
        )
        assert not_mine.status_code == 404, "another person's feed: hidden, not refused"

        past = await scheduler.http.post(
            f"/sessions/{first['session_id']}/reschedule",
            json={"starts_at": "2027-02-01T17:00:00Z"},
            headers=mentee,
        )
        assert (past.status_code, past.json()["field"]) == (422, "starts_at")
        assert "in the past" in past.json()["reason"]
        outside = await scheduler.http.post(
            f"/sessions/{first['session_id']}/reschedule",
            json={"starts_at": "2027-03-02T08:00:00Z"},
            headers=mentee,
        )
        assert outside.status_code == 422
        assert "outside the mentor's availability" in outside.json()["reason"]
        cancelled = await scheduler.http.post(
            f"/sessions/{first['session_id']}/cancel", json={"reason": "sick"}, headers=mentee
        )
        assert cancelled.json()["status"] == "cancelled"
        again = await scheduler.http.post(
            f"/sessions/{first['session_id']}/reschedule",
            json={"starts_at": "2027-03-09T17:00:00Z"},
            headers=mentee,
        )
        assert again.status_code == 409
        assert again.json()["session"]["status"] == "cancelled"
        backwards = await scheduler.http.get(
            f"/matches/{match_id}/slots",
            params={"from": "2027-03-10T00:00:00Z", "to": "2027-03-09T00:00:00Z"},
            headers=mentee,
        )
        assert (backwards.status_code, backwards.json()["field"]) == (422, "to")
        window = await scheduler.http.get(
            f"/matches/{match_id}/slots",
            params={"from": "2027-03-09T00:00:00Z", "to": "2027-03-10T00:00:00Z"},
            headers=mentee,
        )
        assert window.json()["slots"]
        assert all(s["starts_at"].startswith("2027-03-09") for s in window.json()["slots"])
        bad_zone = await scheduler.http.get(
            f"/matches/{match_id}/slots?timezone=Mars/Olympus", headers=mentee
        )
        assert (bad_zone.status_code, bad_zone.json()["field"]) == (422, "timezone")
        await session_events(stack, match_id, "session.cancelled")


async def test_kolkata_and_los_angeles_without_shared_hours_hear_why(
    stack: Endpoints, scheduler_on: SchedulerOn, unique: str
) -> None:
    kolkata = {
        "timezone": "Asia/Kolkata",
        "weekly": [{"weekday": "wed", "start": "09:00", "end": "17:00"}],
    }
    los_angeles = {
        "timezone": "America/Los_Angeles",
        "weekly": [{"weekday": "wed", "start": "09:00", "end": "17:00"}],
    }
    async with scheduler_on(MovableClock(START)) as scheduler:
        match_id = await pair(stack, unique, kolkata, los_angeles)
        [failed] = await session_events(stack, match_id, "session.booking.failed")
        assert failed["reason"] == "no_overlap"
        assert "Asia/Kolkata" in failed["detail"]
        assert "America/Los_Angeles" in failed["detail"]
        slots = await scheduler.http.get(
            f"/matches/{match_id}/slots", headers=token(f"mentee-{unique}", "mentee")
        )
        assert slots.json()["slots"] == []
        assert slots.json()["reason"].startswith("no shared time")
        view = await scheduler.http.get(
            f"/matches/{match_id}/sessions", headers=token(f"mentee-{unique}", "mentee")
        )
        assert view.status_code == 200, view.text
        shown = view.json()
        assert shown["sessions"] == []
        assert [u["sequence"] for u in shown["unplaced"]] == [
            u["sequence"] for u in failed["unplaced"]
        ]
        assert shown["unplaced"], "the planned dates, each unplaced with its reason"
        assert {u["reason"] for u in shown["unplaced"]} == {"no_overlap"}
        assert all(u["detail"] and u["target"] for u in shown["unplaced"])
        assert shown["pause"] is None


async def test_two_no_shows_stall_the_match_on_the_broker(
    stack: Endpoints, scheduler_on: SchedulerOn, unique: str
) -> None:
    clock = MovableClock(START)
    async with scheduler_on(clock) as scheduler:
        match_id = await pair(stack, unique, BERLIN, NEW_YORK)
        scheduled = await scheduled_in_order(stack, match_id)
        clock.now = datetime.fromisoformat(scheduled[1]["starts_at"]) + timedelta(hours=1)
        mentor = token(f"mentor-{unique}", "mentor")
        for event in scheduled[:2]:
            recorded = await scheduler.http.post(
                f"/sessions/{event['session_id']}/attendance",
                json={"attendance": "mentee_no_show"},
                headers=mentor,
            )
            assert recorded.status_code == 200, recorded.text
        [stalled] = await session_events(stack, match_id, "match.stalled")
        assert stalled["reason"] == "missed_sessions"
        missed = await session_events(stack, match_id, "session.missed", count=2)
        assert sorted(m["missed_in_a_row"] for m in missed) == [1, 2]
        early = await scheduler.http.post(
            f"/sessions/{scheduled[3]['session_id']}/attendance",
            json={"attendance": "attended"},
            headers=mentor,
        )
        assert (early.status_code, early.json()["field"]) == (422, "attendance")


async def test_reminders_fire_once_per_offset_across_a_restart(
    stack: Endpoints, scheduler_on: SchedulerOn, unique: str
) -> None:
    """Booked, stopped; started again a day before the session (the 24-hour reminder),
    again half an hour before (the 1-hour one), and once more: two reminders in all."""
    clock = MovableClock(START)
    async with scheduler_on(clock):
        match_id = await pair(stack, unique, BERLIN, NEW_YORK)
        scheduled = await session_events(stack, match_id, "session.scheduled", count=6)
    first = min(scheduled, key=lambda e: e["starts_at"])
    starts = datetime.fromisoformat(first["starts_at"])

    clock.now = starts - timedelta(hours=23)
    async with scheduler_on(clock, restart=True):
        [day_before] = await session_events(stack, match_id, "session.reminder.due")
    assert (day_before["session_id"], day_before["offset_minutes"]) == (first["session_id"], 1440)
    clock.now = starts - timedelta(minutes=30)
    async with scheduler_on(clock, restart=True):
        await session_events(stack, match_id, "session.reminder.due", count=2)
        await asyncio.sleep(TIMER_PASSES_S)
    async with scheduler_on(clock, restart=True):
        await asyncio.sleep(TIMER_PASSES_S)

    reminders = await all_records(
        stack.bootstrap_servers,
        SESSIONS.name,
        lambda r: (
            r.key == match_id.encode()
            and header(r, "ce_type") == "mentornet.session.reminder.due.v1"
        ),
    )
    sent = sorted(
        (json.loads(r.value)["session_id"], json.loads(r.value)["offset_minutes"])
        for r in reminders
    )
    assert sent == [(first["session_id"], 60), (first["session_id"], 1440)]


async def test_an_extra_session_over_the_cap_is_refused_and_coordinators_see_their_programs(
    stack: Endpoints, scheduler_on: SchedulerOn, unique: str
) -> None:
    async with scheduler_on(MovableClock(START)) as scheduler:
        match_id = await pair(stack, unique, BERLIN, NEW_YORK, max_monthly_hours_per_mentor=3)
        await session_events(stack, match_id, "session.scheduled", count=6)
        mentor = token(f"mentor-{unique}", "mentor")
        over = await scheduler.http.post(
            f"/matches/{match_id}/sessions",
            json={"starts_at": "2027-03-09T17:00:00Z", "session_type": "milestone_review"},
            headers=mentor,
        )
        assert (over.status_code, over.json()["field"]) == (422, "starts_at")
        assert "over the monthly hour cap" in over.json()["reason"]
        by_mentee = await scheduler.http.post(
            f"/matches/{match_id}/sessions",
            json={"starts_at": "2027-04-06T16:00:00Z"},
            headers=token(f"mentee-{unique}", "mentee"),
        )
        assert by_mentee.status_code == 403

        url = f"/participants/mentee-{unique}/sessions"
        own = token("coord", "coordinator", programs=[f"prog-{unique}"])
        other = token("coord-2", "coordinator", programs=["prog-elsewhere"])
        assert len((await scheduler.http.get(url, headers=own)).json()["sessions"]) == 6
        elsewhere = await scheduler.http.get(url, headers=other)
        assert elsewhere.status_code == 404, "a person out of the coordinator's programs is hidden"


async def test_a_paused_match_books_nothing_in_the_pause_and_replans_on_resume(
    stack: Endpoints, scheduler_on: SchedulerOn, unique: str
) -> None:
    clock = MovableClock(START)
    async with scheduler_on(clock) as scheduler:
        match_id = await pair(stack, unique, BERLIN, NEW_YORK)
        scheduled = await scheduled_in_order(stack, match_id)
        people = {
            "match_id": match_id,
            "mentee_id": f"mentee-{unique}",
            "mentor_id": f"mentor-{unique}",
            "program_id": f"prog-{unique}",
        }
        paused_at = datetime.fromisoformat(scheduled[1]["starts_at"]) + timedelta(days=1)
        resume_by = paused_at + timedelta(weeks=3)
        clock.now = paused_at
        await publish(
            stack,
            MatchPaused(
                **people,
                by=PauseActor.COORDINATOR,
                reason="mentee on a launch",
                paused_at=paused_at,
                resume_by=resume_by,
            ),
        )
        inside = [
            e["session_id"]
            for e in scheduled
            if paused_at <= datetime.fromisoformat(e["starts_at"]) < resume_by
        ]
        inside_start = min(
            datetime.fromisoformat(e["starts_at"]) for e in scheduled if e["session_id"] in inside
        )
        cancelled = await session_events(stack, match_id, "session.cancelled", count=len(inside))
        assert sorted(e["session_id"] for e in cancelled) == sorted(inside)
        assert {e["reason"] for e in cancelled} == {"match paused: mentee on a launch"}
        team = token("coord", "coordinator", programs=[f"prog-{unique}"])
        view = (await scheduler.http.get(f"/matches/{match_id}/sessions", headers=team)).json()
        assert view["status"] == "paused"
        assert view["pause"]["reason"] == "mentee on a launch"
        assert view["pause"]["by"] == "coordinator"
        assert datetime.fromisoformat(view["pause"]["resume_by"]) == resume_by
        later = next(
            s
            for s in view["sessions"]
            if s["status"] == "scheduled" and datetime.fromisoformat(s["starts_at"]) > resume_by
        )
        moved = await scheduler.http.post(
            f"/sessions/{later['session_id']}/reschedule",
            json={"starts_at": inside_start.isoformat(), "reason": "sooner"},
            headers=token(f"mentor-{unique}", "mentor"),
        )
        assert moved.status_code == 409, moved.text
        assert moved.json()["reason"].startswith("the match is paused until ")
        assert moved.json()["pause"]["reason"] == "mentee on a launch"

        clock.now = resume_by
        await publish(stack, MatchResumed(**people, by=PauseActor.SCHEDULE, resumed_at=resume_by))
        rebooked = await session_events(stack, match_id, "session.scheduled", count=6 + len(inside))
        new = [e for e in rebooked if e["session_id"] not in {s["session_id"] for s in scheduled}]
        assert sorted(e["sequence"] for e in new) == [3, 4, 5][: len(inside)]
        assert all(
            datetime.fromisoformat(e["starts_at"]) >= resume_by + timedelta(hours=24) for e in new
        )
        after = (await scheduler.http.get(f"/matches/{match_id}/sessions", headers=team)).json()
        assert after["status"] == "active"
        ahead = [
            s
            for s in after["sessions"]
            if s["status"] == "scheduled" and datetime.fromisoformat(s["starts_at"]) > resume_by
        ]
        assert len(ahead) == 4, "the 6 planned less the 2 held before the pause"


async def test_an_async_match_completes_by_check_ins_on_the_broker(
    stack: Endpoints, scheduler_on: SchedulerOn, unique: str
) -> None:
    clock = MovableClock(START)
    async with scheduler_on(clock):
        program_id, match_id = f"prog-{unique}", f"m-{unique}"
        await publish(
            stack,
            program(program_id),
            MatchConfirmed(
                match_id=match_id,
                mentee_id=f"mentee-{unique}",
                mentor_id=f"mentor-{unique}",
                program_id=program_id,
                format=SessionFormat.ASYNC,
            ),
        )
        checkins = await scheduled_in_order(stack, match_id)
        assert {e["format"] for e in checkins} == {"async"}
        for event in checkins:
            opens = datetime.fromisoformat(event["starts_at"])
            assert datetime.fromisoformat(event["due_at"]) == opens + timedelta(weeks=1)
        for event in checkins[:-1]:
            opens = datetime.fromisoformat(event["starts_at"])
            for role, complete in ((Role.MENTEE, False), (Role.MENTOR, True)):
                await publish(
                    stack,
                    CheckinSubmitted(
                        match_id=match_id,
                        session_id=event["session_id"],
                        role=role,
                        submitted_at=opens + timedelta(hours=2),
                        complete=complete,
                    ),
                )
        await session_events(stack, match_id, "session.completed", count=5)
        clock.now = datetime.fromisoformat(checkins[-1]["due_at"])
        [missed] = await session_events(stack, match_id, "session.missed")
        assert (missed["session_id"], missed["absent"]) == (
            checkins[-1]["session_id"],
            ["mentee", "mentor"],
        )
        [done] = await session_events(stack, match_id, "series.completed")
        assert (done["held"], done["missed"]) == (5, 1)
