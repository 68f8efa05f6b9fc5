"""Async matches as pure decisions: a cadence of check-ins with due times, held once
when both parts are in, missed at the due time with the roles that did not submit,
missed ones in a row stall the match, and the series ends on its last check-in."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from mentornet_contracts.events.common import Role, SessionFormat
from mentornet_contracts.events.feedback import CheckinSubmitted
from mentornet_contracts.events.matches import MatchConfirmed, MatchPaused, PauseActor
from mentornet_contracts.events.sessions import (
    MatchStalled,
    SeriesCompleted,
    SessionCompleted,
    SessionMissed,
    SessionReminderDue,
    SessionScheduled,
    StallReason,
)
from mentornet_scheduler.domain import checkin_clock, checkins, matches, pauses, sessions, timers
from mentornet_scheduler.domain.state import BookingState, Match, MatchStatus
from mentornet_scheduler.domain.timers import Clockwork

from .builders import NOW, ZONES, booked_match, program

pytestmark = pytest.mark.unit

CLOCK = Clockwork(reminder_offsets=(1440, 60))
KICKOFF = NOW + timedelta(hours=24)


def confirmed(fmt: SessionFormat | None = SessionFormat.ASYNC) -> Match | None:
    event = MatchConfirmed(
        match_id="m-1", mentee_id="mentee-1", mentor_id="mentor-1", program_id="prog-1", format=fmt
    )
    return checkins.confirmed(None, event, NOW)


def planned(**rules: object) -> tuple[Match, list[SessionScheduled]]:
    chosen = program(**rules)
    waiting = confirmed()
    assert waiting is not None
    state, events = checkins.planned(
        waiting, checkins.series_of(chosen), KICKOFF, ZONES, matches.rules(chosen)
    )
    assert state is not None
    return state, events


def part(
    state: Match, index: int, role: Role, complete: bool, at: datetime | None = None
) -> CheckinSubmitted:
    session = state["sessions"][index]
    return CheckinSubmitted(
        match_id="m-1",
        session_id=session["session_id"],
        role=role,
        submitted_at=at or datetime.fromisoformat(session["starts_at"]) + timedelta(hours=5),
        complete=complete,
    )


def test_an_async_match_waits_for_check_ins_not_live_booking() -> None:
    state = confirmed()
    assert state is not None
    assert (state["booking"], state["format"], state["due_epoch"]) == (
        BookingState.CHECKINS,
        "async",
        None,
    )
    live = confirmed(None)
    assert live is not None
    assert live["booking"] == BookingState.PENDING
    assert checkins.is_async(live, program(session_format="async"))
    assert not checkins.is_async(live, program())


def test_an_async_series_is_a_cadence_of_check_ins_with_due_times() -> None:
    state, events = planned()
    assert state["booking"] == BookingState.BOOKED
    assert len(events) == len(state["sessions"]) == 8
    for k, event in enumerate(events):
        assert event.format == SessionFormat.ASYNC
        assert event.starts_at == KICKOFF + k * timedelta(weeks=1)
        assert event.due_at == event.starts_at + timedelta(weeks=1)
        assert event.duration_minutes == 60
    assert events[0].session_type == "kickoff"
    assert events[-1].session_type == "wrap_up"
    again, repeated = checkins.planned(
        state, checkins.series_of(program()), KICKOFF, ZONES, matches.rules(program())
    )
    assert (again, repeated) == (None, [])


def test_a_monthly_cadence_gives_a_week_to_answer() -> None:
    _, events = planned(cadence={"sessions_per_month": 1, "session_minutes": 45})
    assert events[1].starts_at - events[0].starts_at == timedelta(weeks=4)
    assert all(e.due_at == e.starts_at + timedelta(days=7) for e in events)
    assert events[0].duration_minutes == 45


def test_both_parts_hold_the_check_in_once() -> None:
    state, _ = planned()
    noted, events = checkins.submitted(state, part(state, 0, Role.MENTEE, False))
    assert noted is not None
    assert events == []
    assert noted["sessions"][0]["submitted"] == ["mentee"]
    assert checkins.submitted(noted, part(noted, 0, Role.MENTEE, False)) == (None, [])
    done, events = checkins.submitted(noted, part(noted, 0, Role.MENTOR, True))
    assert done is not None
    assert [type(e) for e in events] == [SessionCompleted]
    assert events[0].attendance == "attended"
    assert done["sessions"][0]["status"] == "completed"
    assert checkins.submitted(done, part(done, 0, Role.MENTOR, True)) == (None, [])


def test_a_part_for_an_unknown_or_settled_check_in_changes_nothing() -> None:
    state, _ = planned()
    stray = part(state, 0, Role.MENTEE, True).model_copy(update={"session_id": "s-nope"})
    assert checkins.submitted(state, stray) == (None, [])
    assert checkins.submitted(None, stray) == (None, [])
    due = KICKOFF + timedelta(weeks=1)
    missed, _ = timers.due(state, due, CLOCK)
    late = part(missed, 0, Role.MENTEE, True, at=due)
    assert checkins.submitted(missed, late) == (None, []), "given at the due time: too late"


def test_parts_given_before_the_due_time_hold_a_check_in_the_timer_missed_first() -> None:
    state, _ = planned()
    due = KICKOFF + timedelta(weeks=1)
    missed, events = timers.due(state, due, CLOCK)
    assert [e.missed_in_a_row for e in events if isinstance(e, SessionMissed)] == [1]
    assert missed["sessions"][0]["status"] == "missed"
    assert missed["missed_in_a_row"] == 1
    first = part(missed, 0, Role.MENTEE, False, at=due - timedelta(minutes=2))
    noted, events = checkins.submitted(missed, first)
    assert noted is not None, "the part is recorded"
    assert events == []
    assert noted["sessions"][0]["submitted"] == ["mentee"]
    second = part(noted, 0, Role.MENTOR, True, at=due - timedelta(minutes=1))
    held, events = checkins.submitted(noted, second)
    assert held is not None
    assert [type(e) for e in events] == [SessionCompleted]
    assert events[0].attendance == "attended"
    assert held["sessions"][0]["status"] == "completed"
    assert held["missed_in_a_row"] == 0, "its count in the missed streak is undone"
    assert checkins.submitted(held, second) == (None, []), "held once"


def test_a_check_in_cancelled_by_a_pause_stays_cancelled_when_a_part_arrives() -> None:
    state, _ = planned()
    pause = MatchPaused(
        match_id="m-1",
        mentee_id="mentee-1",
        mentor_id="mentor-1",
        program_id="prog-1",
        by=PauseActor.COORDINATOR,
        reason="leave",
        paused_at=KICKOFF + timedelta(days=1),
        resume_by=KICKOFF + timedelta(weeks=3),
    )
    paused, _ = pauses.paused(state, pause)
    assert paused is not None
    assert paused["sessions"][0]["status"] == "cancelled"
    back: Match = {**paused, "status": MatchStatus.ACTIVE}
    early = part(back, 0, Role.MENTEE, True, at=KICKOFF + timedelta(hours=2))
    assert checkins.submitted(back, early) == (None, [])


def test_a_check_in_not_complete_by_its_due_time_is_missed_by_who_did_not_submit() -> None:
    state, _ = planned()
    noted, _ = checkins.submitted(state, part(state, 0, Role.MENTEE, False))
    assert noted is not None
    due = KICKOFF + timedelta(weeks=1)
    before, events = timers.due(noted, due - timedelta(minutes=1), CLOCK)
    assert [type(e) for e in events] == [SessionReminderDue, SessionReminderDue]
    assert {e.starts_at for e in events} == {due}
    assert before["due_epoch"] == due.timestamp()
    after, events = timers.due(before, due, CLOCK)
    [missed] = [e for e in events if isinstance(e, SessionMissed)]
    assert (missed.absent, missed.missed_in_a_row) == ((Role.MENTOR,), 1)
    assert after["sessions"][0]["status"] == "missed"
    _, again = timers.due(after, due + timedelta(hours=1), CLOCK)
    assert not [e for e in again if isinstance(e, SessionMissed)]


def test_missed_check_ins_in_a_row_stall_the_match() -> None:
    state, _ = planned()
    state, events = timers.due(state, KICKOFF + timedelta(weeks=2), CLOCK)
    missed = [e for e in events if isinstance(e, SessionMissed)]
    assert [(e.absent, e.missed_in_a_row) for e in missed] == [
        ((Role.MENTEE, Role.MENTOR), 1),
        ((Role.MENTEE, Role.MENTOR), 2),
    ]
    [stall] = [e for e in events if isinstance(e, MatchStalled)]
    assert stall.reason == StallReason.MISSED_SESSIONS


def test_the_series_ends_when_its_last_check_in_is_settled() -> None:
    state, _ = planned()
    events: list[object] = []
    for k in range(len(state["sessions"])):
        for role, complete in ((Role.MENTEE, False), (Role.MENTOR, True)):
            changed, made = checkins.submitted(state, part(state, k, role, complete))
            assert changed is not None
            state, events = changed, [*events, *made]
    assert sum(isinstance(e, SessionCompleted) for e in events) == 8
    [done] = [e for e in events if isinstance(e, SeriesCompleted)]
    assert (done.held, done.missed) == (8, 0)
    assert timers.next_due(state, CLOCK) is None


def test_an_ended_match_takes_no_more_parts_for_an_open_check_in() -> None:
    state, _ = planned()
    ended, events = checkin_clock.cancel_open(state, KICKOFF + timedelta(days=2), "the match ended")
    assert [e.session_id for e in events] == [state["sessions"][0]["session_id"]]
    assert [s["status"] for s in ended["sessions"][:2]] == ["cancelled", "scheduled"]


def test_a_check_in_moved_by_hand_stays_open_as_long_as_before() -> None:
    state, _ = planned()
    sid = state["sessions"][0]["session_id"]
    moved, event = sessions.reschedule(state, sid, KICKOFF + timedelta(days=2), ZONES, "travel")
    assert moved["sessions"][0]["due_at"] == (KICKOFF + timedelta(days=9)).isoformat()
    assert event.due_at == KICKOFF + timedelta(days=9), "session.rescheduled says the new due time"


def test_a_live_session_moved_says_no_due_time() -> None:
    state = booked_match(KICKOFF, KICKOFF + timedelta(weeks=1))
    sid = state["sessions"][0]["session_id"]
    _, event = sessions.reschedule(state, sid, KICKOFF + timedelta(days=1), ZONES, "travel")
    assert event.due_at is None


def test_a_match_booked_live_stays_live_when_its_program_turns_async() -> None:
    live = confirmed(None)
    assert live is not None
    booked: Match = {**live, "booking": BookingState.BOOKED}
    assert not checkins.is_async(booked, program(session_format="async"))
