"""A match runs its course when the last planned session is settled: it announces the
series' end once and stops counting days without activity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from mentornet_contracts.events.sessions import (
    Attendance,
    SeriesCompleted,
    SessionCompleted,
    SessionMissed,
)
from mentornet_scheduler.domain import series, sessions, timers
from mentornet_scheduler.domain.state import BookingState, Match
from mentornet_scheduler.domain.timers import Clockwork

from .builders import booked_match

pytestmark = pytest.mark.unit

CLOCK = Clockwork(reminder_offsets=(60,))
FIRST = datetime(2027, 3, 9, 17, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(weeks=2)


def attend(state: Match, n: int, at: datetime) -> tuple[Match, list[object]]:
    sid = state["sessions"][n]["session_id"]
    return sessions.record_attendance(state, sid, Attendance.ATTENDED, at, "mentee-1")


def test_the_last_session_held_ends_the_series_once() -> None:
    state, events = attend(booked_match(FIRST, SECOND), 0, FIRST)
    assert [type(e) for e in events] == [SessionCompleted]
    state, events = attend(state, 1, SECOND)
    assert [type(e) for e in events] == [SessionCompleted, SeriesCompleted]
    done = events[1]
    assert isinstance(done, SeriesCompleted)
    assert (done.match_id, done.program_id, done.held, done.missed) == ("m-1", "prog-1", 2, 0)
    assert state["series_done"] is True


def test_a_series_whose_last_session_was_missed_still_ends_if_one_was_held() -> None:
    state, _ = attend(booked_match(FIRST, SECOND), 0, FIRST)
    state, events = timers.due(state, SECOND + timedelta(days=4), CLOCK)
    ends = [e for e in events if isinstance(e, SeriesCompleted)]
    assert [(e.held, e.missed) for e in ends] == [(1, 1)]
    assert isinstance(events[events.index(ends[0]) - 1], SessionMissed)
    _, again = timers.due(state, SECOND + timedelta(days=60), CLOCK)
    assert again == []


def test_nothing_held_is_a_stall_not_an_end() -> None:
    state, events = timers.due(booked_match(FIRST), FIRST + timedelta(days=4), CLOCK)
    assert not [e for e in events if isinstance(e, SeriesCompleted)]
    assert not state.get("series_done")


def test_a_finished_series_never_stalls_for_want_of_activity() -> None:
    state, _ = attend(booked_match(FIRST), 0, FIRST)
    assert timers.next_due(state, CLOCK) is None
    quiet, events = timers.due(state, FIRST + timedelta(days=90), CLOCK)
    assert events == []
    assert quiet["stalled"] == {}


def test_a_series_waiting_to_be_booked_again_is_not_over() -> None:
    held, _ = attend(booked_match(FIRST), 0, FIRST)
    replanning: Match = {**held, "series_done": False, "booking": BookingState.PENDING}
    assert not series.is_over(replanning)
    assert series.closing(replanning, []) == (replanning, [])
    assert series.is_over({**replanning, "booking": BookingState.BOOKED})
