"""A match's sessions over time: reminders once per offset, attendance, missed
sessions and stalls, moving and cancelling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from mentornet_contracts.events.sessions import (
    Attendance,
    MatchStalled,
    SessionAttendanceDue,
    SessionCancelled,
    SessionCompleted,
    SessionMissed,
    SessionReminderDue,
    SessionScheduled,
    SessionType,
    StallReason,
)
from mentornet_scheduler.domain import matches, sessions, timers
from mentornet_scheduler.domain.planning import Plan, Planned
from mentornet_scheduler.domain.state import BookingState
from mentornet_scheduler.domain.timers import Clockwork

from .builders import NOW, ZONES, booked_match, confirmed_match

pytestmark = pytest.mark.unit

CLOCK = Clockwork(reminder_offsets=(1440, 60), prompt_after=timedelta(hours=2))
FIRST = datetime(2027, 3, 9, 17, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(weeks=1)


def test_booking_announces_each_session_with_both_local_times() -> None:
    state, events = matches.booked(
        confirmed_match(),
        Plan((Planned(1, FIRST, 60, SessionType.KICKOFF),)),
        ZONES,
    )
    [scheduled] = events
    assert isinstance(scheduled, SessionScheduled)
    assert scheduled.session_id == matches.session_id("m-1", 1)
    assert {t.participant_id: t.local_start for t in scheduled.local_times} == {
        "mentor-1": "2027-03-09T18:00:00+01:00",
        "mentee-1": "2027-03-09T12:00:00-05:00",
    }
    assert state["booking"] == BookingState.BOOKED
    again, repeated = matches.booked(state, Plan(()), ZONES)
    assert repeated == []
    assert len(again["sessions"]) == 1


def test_reminders_fire_once_per_offset_and_stale_ones_are_skipped() -> None:
    state = booked_match(FIRST, SECOND)
    early, none = timers.due(state, FIRST - timedelta(days=3), CLOCK)
    assert none == []
    assert early["due_epoch"] == (FIRST - timedelta(minutes=1440)).timestamp()

    day_before, events = timers.due(early, FIRST - timedelta(hours=23), CLOCK)
    assert [(type(e), e.offset_minutes) for e in events] == [(SessionReminderDue, 1440)]
    again, repeat = timers.due(day_before, FIRST - timedelta(hours=22), CLOCK)
    assert repeat == []

    late, events = timers.due(again, FIRST - timedelta(minutes=30), CLOCK)
    assert [e.offset_minutes for e in events] == [60]
    _, after = timers.due(late, FIRST - timedelta(minutes=10), CLOCK)
    assert after == []

    moved = timers.skip_passed(
        {**late["sessions"][1], "starts_at": (NOW + timedelta(hours=3)).isoformat()}, NOW, CLOCK
    )
    assert moved["reminders"] == {"1440": "skipped"}


def test_no_attendance_prompts_then_counts_as_missed_and_two_in_a_row_stall() -> None:
    state = booked_match(FIRST, SECOND)
    ended = FIRST + timedelta(hours=1)
    prompted, events = timers.due(state, ended + timedelta(hours=2), CLOCK)
    # The service was down across the session: its reminders are skipped, not sent late.
    assert [type(e) for e in events] == [SessionAttendanceDue]
    assert prompted["sessions"][0]["reminders"] == {"1440": "skipped", "60": "skipped"}
    state, events = timers.due(prompted, ended + timedelta(hours=72), CLOCK)
    [missed] = [e for e in events if isinstance(e, SessionMissed)]
    assert (missed.missed_in_a_row, missed.absent) == (1, ())
    state, events = sessions.record_attendance(
        state, state["sessions"][1]["session_id"], Attendance.MENTEE_NO_SHOW, SECOND, "mentor-1"
    )
    assert [type(e) for e in events] == [SessionMissed, MatchStalled]
    assert events[1].reason == StallReason.MISSED_SESSIONS
    assert events[0].missed_in_a_row == 2


def test_attendance_resets_the_streak_and_cannot_be_recorded_twice_or_early() -> None:
    state = booked_match(FIRST, SECOND)
    sid = state["sessions"][0]["session_id"]
    with pytest.raises(sessions.Invalid):
        sessions.record_attendance(state, sid, Attendance.ATTENDED, FIRST - timedelta(hours=1), "x")
    state, events = sessions.record_attendance(
        {**state, "missed_in_a_row": 1}, sid, Attendance.ATTENDED, FIRST, "mentee-1"
    )
    assert [type(e) for e in events] == [SessionCompleted]
    assert state["missed_in_a_row"] == 0
    assert state["last_activity_at"] == (FIRST + timedelta(hours=1)).isoformat()
    with pytest.raises(sessions.SessionConflict):
        sessions.record_attendance(state, sid, Attendance.MENTOR_NO_SHOW, FIRST, "x")


def test_a_late_record_of_a_session_already_counted_missed_is_not_counted_twice() -> None:
    state = booked_match(FIRST)
    state, _ = timers.due(state, FIRST + timedelta(days=4), CLOCK)
    assert state["missed_in_a_row"] == 1
    state, events = sessions.record_attendance(
        state,
        state["sessions"][0]["session_id"],
        Attendance.MENTOR_NO_SHOW,
        FIRST + timedelta(days=5),
        "mentee-1",
    )
    assert events == []
    assert state["missed_in_a_row"] == 1
    assert state["sessions"][0]["attendance"] == "mentor_no_show"


def test_weeks_without_a_session_stall_the_match_once() -> None:
    state = confirmed_match()
    quiet, events = timers.due(state, NOW + timedelta(days=21), CLOCK)
    assert [e.reason for e in events] == [StallReason.NO_ACTIVITY]
    _, again = timers.due(quiet, NOW + timedelta(days=30), CLOCK)
    assert again == []


def test_moving_bumps_the_revision_and_a_cancelled_session_cannot_move() -> None:
    state = booked_match(FIRST, SECOND)
    sid = state["sessions"][0]["session_id"]
    moved, event = sessions.reschedule(state, sid, FIRST + timedelta(days=1), ZONES, "travel")
    assert event.previous_starts_at == FIRST
    assert moved["sessions"][0]["revision"] == 1
    cancelled, gone = sessions.cancel(moved, sid, "sick")
    assert isinstance(gone, SessionCancelled)
    assert cancelled["sessions"][0]["revision"] == 2
    with pytest.raises(sessions.SessionConflict):
        sessions.reschedule(cancelled, sid, SECOND, ZONES, "again")


def test_ending_a_match_cancels_only_its_future_sessions_and_stops_its_clock() -> None:
    state = booked_match(FIRST, SECOND)
    ended, events = sessions.end(state, FIRST + timedelta(hours=2), "match ended: rematched")
    assert [e.session_id for e in events] == [state["sessions"][1]["session_id"]]
    assert [s["status"] for s in ended["sessions"]] == ["scheduled", "cancelled"]
    assert timers.next_due(ended, CLOCK) is None
    assert sessions.end(ended, FIRST, "again") == (ended, [])
