"""A match on hold and back, as pure decisions: the pause cancels only the sessions in
it and stops the clocks; the resume plans the rest of the series again from the
resume, on the series' own rhythm; a cohort member gets their seats back."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.matches import MatchPaused, MatchResumed, PauseActor
from mentornet_contracts.events.sessions import (
    Attendance,
    BookingFailure,
    MatchStalled,
    SessionBookingFailed,
    SessionCancelled,
    SessionMissed,
    SessionRescheduled,
    SessionScheduled,
    SessionType,
    StallReason,
)
from mentornet_scheduler.domain import (
    checkins,
    matches,
    pauses,
    resume_plans,
    sessions,
    timers,
    unplaced,
)
from mentornet_scheduler.domain.budget import HourBudget
from mentornet_scheduler.domain.planning import Booking, Person, Plan, Planned
from mentornet_scheduler.domain.series import Series
from mentornet_scheduler.domain.state import BookingState, Match, MatchStatus, Session
from mentornet_scheduler.domain.timers import Clockwork
from mentornet_scheduler.domain.windows import zone

from .builders import ZONES, booked_match, confirmed_match
from .world import weekly

pytestmark = pytest.mark.unit

CLOCK = Clockwork()
FIRST = datetime(2027, 3, 9, 17, 0, tzinfo=UTC)  # Tue 18:00 Berlin
WEEK = timedelta(weeks=1)
PAUSED_AT = FIRST + WEEK + timedelta(days=2)
RESUME_BY = PAUSED_AT + 4 * WEEK
SERIES = Series(4, 60, 8, "standard")
BERLIN = Availability.model_validate(weekly("Europe/Berlin", ("tue", "17:00", "21:00")))
NEW_YORK = Availability.model_validate(weekly("America/New_York", ("tue", "09:00", "17:00")))


def pause_event(at: datetime = PAUSED_AT, until: datetime = RESUME_BY) -> MatchPaused:
    return MatchPaused(
        match_id="m-1",
        mentee_id="mentee-1",
        mentor_id="mentor-1",
        program_id="prog-1",
        by=PauseActor.COORDINATOR,
        reason="mentee on a launch",
        paused_at=at,
        resume_by=until,
    )


def resume_event(at: datetime) -> MatchResumed:
    return MatchResumed(
        match_id="m-1",
        mentee_id="mentee-1",
        mentor_id="mentor-1",
        program_id="prog-1",
        by=PauseActor.COORDINATOR,
        resumed_at=at,
    )


def two_held() -> Match:
    """Eight weekly sessions from FIRST, the first two held."""
    state = booked_match(*(FIRST + k * WEEK for k in range(8)))
    for k in range(2):
        sid = state["sessions"][k]["session_id"]
        state, _ = sessions.record_attendance(
            state, sid, Attendance.ATTENDED, FIRST + k * WEEK, "x"
        )
    return state


def paused_match() -> tuple[Match, list[Any]]:
    state, events = pauses.paused(two_held(), pause_event())
    assert state is not None
    return state, events


def booking(not_before: datetime) -> Booking:
    return Booking(
        mentor=Person("mentor-1", BERLIN),
        mentee=Person("mentee-1", NEW_YORK),
        series=SERIES,
        budget=HourBudget.of("Europe/Berlin", 10, {}),
        not_before=not_before,
    )


def statuses(state: Match) -> list[str]:
    return [s["status"] for s in state["sessions"]]


def test_a_pause_cancels_only_the_sessions_inside_it_and_says_why() -> None:
    state, events = paused_match()
    assert statuses(state) == ["completed"] * 2 + ["cancelled"] * 4 + ["scheduled"] * 2
    assert all(isinstance(e, SessionCancelled) for e in events)
    assert [e.session_id for e in events] == [s["session_id"] for s in state["sessions"][2:6]]
    assert {e.reason for e in events} == {"match paused: mentee on a launch"}
    assert state["status"] == MatchStatus.PAUSED
    assert state["pause"]["resume_by"] == RESUME_BY.isoformat()
    assert state["pause"]["cancelled"] == [e.session_id for e in events]
    assert pauses.paused(state, pause_event()) == (None, [])


def test_a_session_held_before_the_pause_and_not_yet_recorded_stays() -> None:
    state = booked_match(FIRST, FIRST + WEEK)
    paused, events = pauses.paused(state, pause_event(FIRST + timedelta(hours=3)))
    assert paused is not None
    assert statuses(paused) == ["scheduled", "cancelled"]
    assert len(events) == 1


def test_nothing_is_due_and_nothing_stalls_while_paused() -> None:
    state, _ = paused_match()
    assert timers.next_due(state, CLOCK) is None
    later, events = timers.due(state, RESUME_BY - timedelta(hours=1), CLOCK)
    assert events == []
    assert later["due_epoch"] is None
    quiet, _ = pauses.paused(confirmed_match(), pause_event())
    assert quiet is not None
    _, events = timers.due(quiet, FIRST + 20 * WEEK, CLOCK)
    assert events == []


def test_a_no_show_recorded_during_the_pause_counts_but_does_not_stall() -> None:
    state = booked_match(FIRST, FIRST + WEEK, FIRST + 4 * WEEK)
    state = {**state, "missed_in_a_row": 1}
    paused, _ = pauses.paused(state, pause_event(FIRST + WEEK + timedelta(hours=3)))
    assert paused is not None
    sid = paused["sessions"][1]["session_id"]
    noted, events = sessions.record_attendance(
        paused, sid, Attendance.MENTEE_NO_SHOW, FIRST + WEEK + timedelta(hours=4), "mentor-1"
    )
    assert [type(e) for e in events] == [SessionMissed]
    assert noted["missed_in_a_row"] == 2
    assert not noted["stalled"]


def resumed_at(state: Match, at: datetime) -> Match:
    noted = pauses.resuming(state, resume_event(at))
    assert noted is not None
    assert pauses.awaiting(noted)
    assert pauses.resuming(noted, resume_event(at)) is None, "a repeat changes nothing"
    return noted


def live_build(match: Match, placement: resume_plans.Placement, sid: str) -> Session:
    assert placement.start is not None
    planned = Planned(
        placement.session["sequence"],
        placement.start,
        placement.session["duration_minutes"],
        placement.session["session_type"],
    )
    return matches.new_session(match, planned, ZONES, sid=sid)


def test_an_early_resume_plans_the_rest_of_the_series_on_its_rhythm() -> None:
    paused, _ = paused_match()
    at = datetime(2027, 4, 8, 9, 0, tzinfo=UTC)
    noted = resumed_at(paused, at)
    rest = pauses.remaining(noted, at)
    assert [s["sequence"] for s in rest] == [3, 4, 5, 6, 7, 8]
    placements = resume_plans.live(booking(at + timedelta(hours=24)), rest, FIRST)
    starts = [p.start for p in placements]
    assert all(s is not None for s in starts)
    berlin = [s.astimezone(zone("Europe/Berlin")) for s in starts if s is not None]
    assert [(b.strftime("%a %H:%M")) for b in berlin] == ["Tue 18:00"] * 6
    assert berlin[0].date().isoformat() == "2027-04-13"
    assert all(b - a == WEEK for a, b in itertools.pairwise(berlin))

    state, events = pauses.resumed(noted, placements, live_build, ZONES)
    assert state is not None
    assert state["status"] == MatchStatus.ACTIVE
    assert "pause" not in state
    assert state["last_activity_at"] == at.isoformat()
    assert (state["missed_in_a_row"], state["stalled"]) == (0, {})
    scheduled = [e for e in events if isinstance(e, SessionScheduled)]
    moved = [e for e in events if isinstance(e, SessionRescheduled)]
    assert [e.sequence for e in scheduled] == [3, 4, 5, 6]
    assert {e.session_id for e in moved} == {s["session_id"] for s in paused["sessions"][6:]}
    ahead = [s for s in state["sessions"] if s["status"] == "scheduled"]
    assert sorted(s["sequence"] for s in ahead) == [3, 4, 5, 6, 7, 8]
    assert len({s["session_id"] for s in state["sessions"]}) == len(state["sessions"]) == 12
    assert pauses.resumed(state, placements, live_build, ZONES) == (None, [])


def test_dates_that_no_longer_fit_are_cancelled_and_reported_with_their_reason() -> None:
    paused, _ = paused_match()
    at = RESUME_BY
    noted = resumed_at(paused, at)
    rest = pauses.remaining(noted, at)
    tight = booking(at + timedelta(hours=24))
    tight.budget = HourBudget.of("Europe/Berlin", 2, {})  # two hours a month
    placements = resume_plans.live(tight, rest, FIRST)
    assert sum(p.start is not None for p in placements) < len(rest)
    state, events = pauses.resumed(noted, placements, live_build, ZONES)
    assert state is not None
    [failed] = [e for e in events if isinstance(e, SessionBookingFailed)]
    assert failed.reason == "hour_cap"
    held = 2
    assert failed.planned == held + len(rest) == 8, "the whole series"
    assert failed.booked == held + sum(p.start is not None for p in placements)
    missing = [p.session["sequence"] for p in placements if p.start is None]
    assert [u.sequence for u in failed.unplaced] == missing
    assert [n["sequence"] for n in state["unplaced"]] == missing, "the series is not complete"


def test_a_resume_reports_every_unplaced_date_of_the_match_and_the_whole_series() -> None:
    state = two_held()
    for seq in (5, 6):
        sid = state["sessions"][seq - 1]["session_id"]
        state, _ = sessions.cancel(state, sid, "no time")
        target = FIRST + (seq - 1) * WEEK
        why = unplaced.Unplaced(seq, target, BookingFailure.EXCEPTION, "mentor on leave")
        state = unplaced.with_dates(state, [why])
    paused, _ = pauses.paused(state, pause_event())
    assert paused is not None
    noted = resumed_at(paused, RESUME_BY)
    rest = pauses.remaining(noted, RESUME_BY)
    assert [s["sequence"] for s in rest] == [3, 4, 7, 8]
    nowhere = unplaced.Unplaced(3, RESUME_BY + WEEK, BookingFailure.NO_OVERLAP, "no shared time")
    placements = [
        resume_plans.Placement(rest[0], RESUME_BY + WEEK, None, nowhere),
        resume_plans.Placement(rest[1], RESUME_BY + WEEK, RESUME_BY + WEEK),
        *(
            resume_plans.Placement(s, start := datetime.fromisoformat(s["starts_at"]), start)
            for s in rest[2:]
        ),
    ]
    after, events = pauses.resumed(noted, placements, live_build, ZONES)
    assert after is not None
    [failed] = [e for e in events if isinstance(e, SessionBookingFailed)]
    assert [u.sequence for u in failed.unplaced] == [3, 5, 6], "the complete set, not a delta"
    assert [u.reason for u in failed.unplaced] == ["no_overlap", "exception", "exception"]
    assert (failed.planned, failed.booked) == (8, 5), "1, 2 held; 4, 7, 8 booked"
    assert sorted(n["sequence"] for n in after["unplaced"]) == [3, 5, 6]


def test_a_cohort_member_gets_back_the_seats_still_ahead() -> None:
    plan = [Planned(k + 1, FIRST + k * WEEK, 60, SessionType.REGULAR) for k in range(6)]
    state: Match = {**confirmed_match(), "cohort_id": "c-1", "booking": BookingState.COHORT}
    state, _ = matches.booked(state, Plan(tuple(plan)), ZONES, cohort="c-1")
    day = timedelta(days=1)
    paused, cancelled = pauses.paused(state, pause_event(FIRST + day, FIRST + 4 * WEEK + day))
    assert paused is not None
    assert len(cancelled) == 4, "the seats on the 2nd to 5th group sessions"
    at = FIRST + 2 * WEEK + timedelta(days=1)
    noted = resumed_at(paused, at)
    group = {p.sequence: p.starts_at for p in plan}
    placements = resume_plans.seats(pauses.remaining(noted, at), group, at)
    back, events = pauses.resumed(noted, placements, seat_build, ZONES)
    assert back is not None
    assert [e.sequence for e in events if isinstance(e, SessionScheduled)] == [4, 5]
    assert not [e for e in events if isinstance(e, SessionBookingFailed)]
    seats = [
        s
        for s in back["sessions"]
        if s["status"] == "scheduled" and datetime.fromisoformat(s["starts_at"]) > at
    ]
    assert sorted(s["sequence"] for s in seats) == [4, 5, 6]
    assert {s["booking_id"] for s in seats} == {"c-1:4", "c-1:5", "c-1:6"}


def seat_build(match: Match, placement: resume_plans.Placement, sid: str) -> Session:
    assert placement.start is not None
    planned = Planned(placement.session["sequence"], placement.start, 60, SessionType.REGULAR)
    return matches.new_session(match, planned, ZONES, cohort="c-1", sid=sid)


def test_an_open_check_in_is_cancelled_by_a_pause() -> None:
    state = confirmed_match()
    checkin = checkins.new_checkin(
        state, checkins.Checkin(1, SessionType.KICKOFF, FIRST), SERIES, ZONES
    )
    state = {**state, "sessions": [checkin], "booking": BookingState.BOOKED}
    paused, events = pauses.paused(state, pause_event(FIRST + timedelta(days=2)))
    assert paused is not None
    assert [type(e) for e in events] == [SessionCancelled]


def test_the_missed_streak_and_no_activity_clock_start_afresh_at_resume() -> None:
    quiet, _ = pauses.paused({**confirmed_match(), "missed_in_a_row": 1}, pause_event())
    assert quiet is not None
    noted = resumed_at(quiet, RESUME_BY)
    state, _ = pauses.resumed(noted, [], live_build, ZONES)
    assert state is not None
    _, none = timers.due(state, RESUME_BY + timedelta(days=20), CLOCK)
    assert none == []
    _, stalled = timers.due(state, RESUME_BY + timedelta(days=21), CLOCK)
    assert [e.reason for e in stalled if isinstance(e, MatchStalled)] == [StallReason.NO_ACTIVITY]
