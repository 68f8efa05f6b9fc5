"""Scheduling that holds on every date, says when it cannot, and lets a match pause,
on the real broker and store through the services' own APIs:

- a cohort whose members' windows stop meeting the mentor's slot after the 2027 US
  clock change: the member is seated on the dates they can attend, the later dates are
  reported unplaced (session.booking.failed, no_overlap), QA opens a case, and the
  member's match is not completed when the booked sessions are all held;
- a paused match: its sessions inside the pause are cancelled, nothing is booked in the
  pause, and resuming books the rest of the series again;
- an async match: check-ins instead of live slots, completed by the mentee's reflection
  and the mentor's reply, until the matcher ends the match as completed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from mentornet_contracts.catalogue import MATCHES, QA, SESSIONS
from mentornet_contracts.events.matches import MatchConfirmed
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.examples import program_published
from mentornet_tooling.testing.kafka import all_records, kind_of
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.conftest import ServiceOn
from tests.support.events import events_of, person, publish
from tests.support.helpers import matcher_knows, token

pytestmark = pytest.mark.e2e

ESCALATION = {
    "missed_sessions_in_a_row": 2,
    "days_without_activity": 90,
    "low_rubric_average": 2.5,
    "days_to_accept_proposal": 7,
}
SKILL = {"skill_id": "python", "level": 5}
GOAL = {
    "goal_id": "g1",
    "statement": "Ship services",
    "target_skills": [{"skill_id": "python", "level": 3}],
}


def _weekly(zone: str, day: str, start: str, end: str) -> dict[str, Any]:
    return {"timezone": zone, "weekly": [{"weekday": day, "start": start, "end": end}]}


def _local(instant: str, zone: str) -> datetime:
    return datetime.fromisoformat(instant).astimezone(ZoneInfo(zone))


async def _attended(scheduler: RunningService, session_id: str, mentor: str) -> None:
    recorded = await scheduler.http.post(
        f"/sessions/{session_id}/attendance",
        json={"attendance": "attended"},
        headers=token(mentor, "mentor"),
    )
    assert recorded.status_code == 200, recorded.text


async def test_a_cohort_member_the_clock_change_rules_out_is_told_and_not_completed(
    stack: Endpoints, scheduler_on: ServiceOn, qa_on: ServiceOn, unique: str
) -> None:
    """New York's mentor meets at 11:00 on Tuesdays. Lagos keeps UTC+1 all year, so
    its member's 17:00-18:00 window meets 11:00 New York only until New York moves its
    clocks on 14 March 2027; Chicago moves with New York."""
    clock = MovableClock(datetime(2027, 3, 1, 6, tzinfo=UTC))
    program_id, mentor = f"prog-co-{unique}", f"p-ny-{unique}"
    chicago, lagos = f"p-chi-{unique}", f"p-lag-{unique}"
    program = program_published(
        program_id=program_id,
        tier="cohort",
        cohort_size=2,
        duration_weeks=4,
        cadence={"sessions_per_month": 4, "session_minutes": 60},
        max_monthly_hours_per_mentor=20,
        qa_sample_rate=0.0,
        escalation=ESCALATION,
        coordinator_ids=[f"c-{unique}"],
    )
    async with scheduler_on(clock) as scheduler, qa_on(clock) as qa:
        await publish(
            stack,
            program,
            person(
                MentorRegistered,
                mentor,
                program_id,
                availability=_weekly("America/New_York", "tue", "11:00", "12:00"),
                skills=[SKILL],
            ),
            person(
                MenteeRegistered,
                chicago,
                program_id,
                availability=_weekly("America/Chicago", "tue", "10:00", "11:00"),
                goals=[GOAL],
            ),
            person(
                MenteeRegistered,
                lagos,
                program_id,
                availability=_weekly("Africa/Lagos", "tue", "17:00", "18:00"),
                goals=[GOAL],
            ),
            at=clock.now,
        )
        matches = {who: f"m-{who}" for who in (chicago, lagos)}
        await publish(
            stack,
            *(
                MatchConfirmed(match_id=m, mentee_id=who, mentor_id=mentor, program_id=program_id)
                for who, m in matches.items()
            ),
            at=clock.now,
        )
        booked = await events_of(
            stack,
            SESSIONS.name,
            "session.scheduled",
            lambda e: e["match_id"] in matches.values(),
            count=6,
        )
        by_match = {
            m: sorted((e for e in booked if e["match_id"] == m), key=lambda e: e["starts_at"])
            for m in matches.values()
        }
        assert len(by_match[matches[chicago]]) == 4
        seated = by_match[matches[lagos]]
        assert [s["sequence"] for s in seated] == [1, 2]
        for session in booked:
            for local in session["local_times"]:
                at = _local(session["starts_at"], local["timezone"])
                start = {"America/New_York": 11, "America/Chicago": 10, "Africa/Lagos": 17}
                assert (at.hour, at.minute) == (start[local["timezone"]], 0), session
        [failed] = await events_of(
            stack,
            SESSIONS.name,
            "session.booking.failed",
            lambda e: e["match_id"] == matches[lagos],
        )
        assert (failed["planned"], failed["booked"]) == (4, 2)
        assert [(u["sequence"], u["reason"], u["attendee_id"]) for u in failed["unplaced"]] == [
            (3, "no_overlap", lagos),
            (4, "no_overlap", lagos),
        ]
        [case] = await events_of(
            stack, QA.name, "escalation.raised", lambda e: e["match_id"] == matches[lagos]
        )
        assert (case["trigger"], case["action"]) == ("booking_failed", "coordinator_contact")
        team = token(f"c-{unique}", "coordinator", programs=[program_id])

        async def counted() -> dict[str, Any] | None:
            health = await qa.http.get(f"/programs/{program_id}/health", headers=team)
            figures: dict[str, Any] = health.json()["scheduling"]
            return figures if figures["unbookable_sessions"] else None

        figures = await eventually(counted, what="unbookable sessions on program health")
        assert (figures["unbookable_sessions"], figures["matches_affected"]) == (2, 1)

        sessions = sorted(booked, key=lambda e: (e["starts_at"], e["match_id"] == matches[chicago]))
        for session in sessions:
            clock.now = datetime.fromisoformat(session["starts_at"]) + timedelta(hours=2)
            await _attended(scheduler, session["session_id"], mentor)
        [done] = await events_of(
            stack, SESSIONS.name, "series.completed", lambda e: e["match_id"] in matches.values()
        )
        assert (done["match_id"], done["held"]) == (matches[chicago], 4)
        view = await scheduler.http.get(f"/matches/{matches[lagos]}/sessions", headers=team)
        assert view.status_code == 200, view.text
        assert view.json()["unplaced"], view.json()
        completions = await all_records(
            stack.bootstrap_servers, SESSIONS.name, lambda r: kind_of(r) == "series.completed"
        )
        assert [
            json.loads(r.value)["match_id"]
            for r in completions
            if matches[lagos].encode() in r.value
        ] == []


async def _confirmed_pair(
    stack: Endpoints, matcher: RunningService, unique: str, clock: MovableClock, **program: Any
) -> tuple[str, str, str, dict[str, str]]:
    """A published program, a mentor and a mentee, matched by the matcher's batch run
    and confirmed by the coordinator and the mentor: (program, match, mentor, headers)."""
    program_id, mentor, mentee = f"prog-{unique}", f"p-mr-{unique}", f"p-me-{unique}"
    coordinator = token(f"c-{unique}", "coordinator", programs=[program_id])
    formats = ["async"] if program.get("session_format") == "async" else ["video"]
    await publish(
        stack,
        program_published(
            program_id=program_id,
            approval_mode="coordinator_review",
            escalation=ESCALATION,
            coordinator_ids=[f"c-{unique}"],
            **program,
        ),
        person(
            MentorRegistered,
            mentor,
            program_id,
            formats=formats,
            skills=[SKILL],
        ),
        person(MenteeRegistered, mentee, program_id, formats=formats, goals=[GOAL]),
        at=clock.now,
    )
    for who in (mentor, mentee):
        await eventually(partial(matcher_knows, matcher, who), what=f"{who} known")
    run = await matcher.http.post(f"/programs/{program_id}/matching-runs", headers=coordinator)
    assert run.status_code in (200, 202), run.text
    [proposed] = await events_of(
        stack, MATCHES.name, "match.proposed", lambda e: e["mentee_id"] == mentee
    )
    match_id = proposed["match_id"]
    approved = await matcher.http.post(f"/matches/{match_id}/approve", headers=coordinator)
    assert approved.status_code == 200, approved.text
    accepted = await matcher.http.post(
        f"/matches/{match_id}/accept", headers=token(mentor, "mentor")
    )
    assert accepted.json()["status"] == "confirmed", accepted.text
    return program_id, match_id, mentor, coordinator


def _where(field: str, value: str) -> Callable[[dict[str, Any]], bool]:
    def matches(event: dict[str, Any]) -> bool:
        return bool(event.get(field) == value)

    return matches


def _starts(events: list[dict[str, Any]]) -> list[datetime]:
    return sorted(datetime.fromisoformat(e["starts_at"]) for e in events)


async def test_a_paused_match_books_nothing_in_the_pause_and_replans_on_resume(
    stack: Endpoints, matcher: RunningService, scheduler_on: ServiceOn, unique: str
) -> None:
    clock = MovableClock(datetime.now(UTC))
    async with scheduler_on(clock) as scheduler:
        _, match_id, _, coordinator = await _confirmed_pair(
            stack,
            matcher,
            unique,
            clock,
            duration_weeks=6,
            cadence={"sessions_per_month": 4, "session_minutes": 60},
            max_pause_weeks=3,
        )
        of_match = _where("match_id", match_id)
        first = await events_of(stack, SESSIONS.name, "session.scheduled", of_match, count=6)
        too_long = await matcher.http.post(
            f"/matches/{match_id}/pause", json={"weeks": 4, "reason": "launch"}, headers=coordinator
        )
        assert too_long.status_code == 422, too_long.text
        assert "weeks" in too_long.text
        paused = await matcher.http.post(
            f"/matches/{match_id}/pause",
            json={"weeks": 2, "reason": "product launch"},
            headers=coordinator,
        )
        assert paused.status_code == 200, paused.text
        again = await matcher.http.post(
            f"/matches/{match_id}/pause", json={"weeks": 1, "reason": "again"}, headers=coordinator
        )
        assert again.status_code == 409, again.text
        assert "paused" in again.text
        [pause] = await events_of(stack, MATCHES.name, "match.paused", of_match)
        resume_by = datetime.fromisoformat(pause["resume_by"])
        inside = [e for e in first if datetime.fromisoformat(e["starts_at"]) < resume_by]
        assert inside
        cancelled = await events_of(
            stack, SESSIONS.name, "session.cancelled", of_match, count=len(inside)
        )
        assert {c["session_id"] for c in cancelled} == {e["session_id"] for e in inside}

        clock.advance(days=7)
        resumed = await matcher.http.post(
            f"/matches/{match_id}/resume", json={}, headers=coordinator
        )
        assert resumed.status_code == 200, resumed.text
        await events_of(stack, MATCHES.name, "match.resumed", of_match)
        scheduled = await events_of(
            stack, SESSIONS.name, "session.scheduled", of_match, count=6 + len(inside)
        )
        again_booked = [
            e for e in scheduled if e["session_id"] not in {f["session_id"] for f in first}
        ]
        assert len(again_booked) == len(inside)
        assert min(_starts(again_booked)) >= clock.now
        view = await scheduler.http.get(f"/matches/{match_id}/sessions", headers=coordinator)
        live = [s for s in view.json()["sessions"] if s["status"] == "scheduled"]
        assert len(live) == 6
        pause_span = (datetime.fromisoformat(pause["paused_at"]), clock.now)
        assert not [
            s
            for s in live
            if pause_span[0] <= datetime.fromisoformat(s["starts_at"]) < pause_span[1]
        ]


async def test_an_async_match_completes_by_written_check_ins(
    stack: Endpoints,
    matcher: RunningService,
    scheduler_on: ServiceOn,
    feedback_on: ServiceOn,
    unique: str,
) -> None:
    clock = MovableClock(datetime.now(UTC))
    async with scheduler_on(clock), feedback_on(clock) as feedback:
        _, match_id, mentor, _ = await _confirmed_pair(
            stack,
            matcher,
            unique,
            clock,
            duration_weeks=2,
            cadence={"sessions_per_month": 4, "session_minutes": 30},
            session_format="async",
        )
        of_match = _where("match_id", match_id)
        [confirmed] = await events_of(stack, MATCHES.name, "match.confirmed", of_match)
        assert confirmed["format"] == "async"
        checkins = sorted(
            await events_of(stack, SESSIONS.name, "session.scheduled", of_match, count=2),
            key=lambda e: e["starts_at"],
        )
        assert {(c["format"], c["due_at"] is not None) for c in checkins} == {("async", True)}
        mentee = confirmed["mentee_id"]
        for checkin in checkins:
            path = f"/checkins/{checkin['session_id']}"

            async def known(path: str = path) -> bool:
                shown = await feedback.http.get(path, headers=token(mentee, "mentee"))
                return shown.status_code == 200

            await eventually(known, what=f"feedback to know {path}")
        early = await feedback.http.post(
            f"/checkins/{checkins[1]['session_id']}/reflection",
            json={"text": "Too soon"},
            headers=token(mentee, "mentee"),
        )
        assert early.status_code == 409, early.text
        for checkin in checkins:
            clock.now = datetime.fromisoformat(checkin["starts_at"]) + timedelta(hours=1)
            sid = checkin["session_id"]
            wrote = await feedback.http.post(
                f"/checkins/{sid}/reflection",
                json={"text": "I shipped the service and wrote the runbook."},
                headers=token(mentee, "mentee"),
            )
            assert wrote.status_code in (200, 201), wrote.text
            replied = await feedback.http.post(
                f"/checkins/{sid}/reply",
                json={"text": "Good: next, load-test it before the review."},
                headers=token(mentor, "mentor"),
            )
            assert replied.status_code in (200, 201), replied.text
            await events_of(stack, SESSIONS.name, "session.completed", _where("session_id", sid))
        [done] = await events_of(stack, SESSIONS.name, "series.completed", of_match)
        assert (done["held"], done["missed"]) == (2, 0)
        [ended] = await events_of(stack, MATCHES.name, "match.ended", of_match)
        assert ended["reason"] == "completed"
