"""Dates that cannot be placed, each with its true reason: windows that stop meeting
after a clock change (no_overlap), someone's leave (exception), the mentor's hours
(hour_cap), other sessions (fully_booked); a cohort member seated only on the dates
they can attend; a series is not complete while any date stays unplaced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.sessions import (
    Attendance,
    BookingFailure,
    SeriesCompleted,
    SessionBookingFailed,
    SessionType,
)
from mentornet_scheduler.domain import cohort_changes, matches, sessions, unplaced
from mentornet_scheduler.domain.budget import HourBudget
from mentornet_scheduler.domain.cohorts import choose_slot
from mentornet_scheduler.domain.planning import Booking, Person, Plan, Planned, plan_series
from mentornet_scheduler.domain.seating import Member, seating
from mentornet_scheduler.domain.series import Series
from mentornet_scheduler.domain.state import Cohort, CohortStatus

from .builders import ZONES, confirmed_match

pytestmark = pytest.mark.unit

BERLIN = ZoneInfo("Europe/Berlin")
MARCH = datetime(2027, 3, 1, tzinfo=UTC)


def available(zone: str, *windows: tuple[str, str, str], **extra: Any) -> Availability:
    weekly = [{"weekday": d, "start": s, "end": e} for d, s, e in windows]
    return Availability.model_validate({"timezone": zone, "weekly": weekly, **extra})


def pair(
    mentor: Availability,
    mentee: Availability,
    *,
    weeks: int = 6,
    cap_hours: float = 20,
    mentor_busy: tuple[tuple[datetime, datetime], ...] = (),
) -> Booking:
    return Booking(
        mentor=Person("mentor-1", mentor, mentor_busy),
        mentee=Person("mentee-1", mentee),
        series=Series(4, 60, weeks, "standard"),
        budget=HourBudget.of(mentor.timezone, cap_hours, {}),
        not_before=MARCH,
    )


def berlin_days(plan: Plan) -> list[str]:
    return [s.starts_at.astimezone(BERLIN).strftime("%m-%d") for s in plan.sessions]


BERLIN_SIX = available("Europe/Berlin", ("tue", "18:00", "19:00"))
NEW_YORK_NOON = available("America/New_York", ("tue", "12:00", "13:00"))


def test_windows_that_stop_meeting_between_the_us_and_eu_switches_are_no_overlap() -> None:
    """Berlin 18:00 is New York 12:00, except from 14 to 28 March 2027 (13:00)."""
    plan = plan_series(pair(BERLIN_SIX, NEW_YORK_NOON))
    assert berlin_days(plan) == ["03-02", "03-09", "03-30", "04-06"]
    assert [s.sequence for s in plan.sessions] == [1, 2, 5, 6]
    assert [(u.sequence, u.reason) for u in plan.unplaced] == [
        (3, BookingFailure.NO_OVERLAP),
        (4, BookingFailure.NO_OVERLAP),
    ]
    assert plan.failure == BookingFailure.NO_OVERLAP
    first = plan.unplaced[0]
    assert first.target == datetime(2027, 3, 16, 17, 0, tzinfo=UTC)
    assert "Tue 2027-03-16 18:00 Europe/Berlin" in first.detail
    assert "tue 12:00-13:00 America/New_York" in first.detail
    assert plan.detail.startswith("4 of 6 sessions booked; ")


def test_a_date_on_leave_is_an_exception_of_the_person_away() -> None:
    mentee = available(
        "America/New_York",
        ("tue", "09:00", "17:00"),
        exceptions=[{"start_date": "2027-03-09", "end_date": "2027-03-09", "reason": "leave"}],
    )
    plan = plan_series(pair(BERLIN_SIX, mentee, weeks=3))
    assert [(u.sequence, u.reason, u.attendee_id) for u in plan.unplaced] == [
        (2, BookingFailure.EXCEPTION, "mentee-1")
    ]
    assert "the mentee is away around Tue 2027-03-09" in plan.unplaced[0].detail
    assert plan.failure == BookingFailure.EXCEPTION


def test_only_the_cap_is_hour_cap_and_only_other_sessions_are_fully_booked() -> None:
    capped = plan_series(
        pair(BERLIN_SIX, available("Europe/Berlin", ("tue", "09:00", "20:00")), cap_hours=2)
    )
    assert [(u.sequence, u.reason) for u in capped.unplaced] == [
        (k, BookingFailure.HOUR_CAP) for k in (3, 4, 5)
    ]
    assert "2 of 2 mentoring hours booked in 2027-03" in capped.unplaced[0].detail
    taken = datetime(2027, 3, 9, 17, 0, tzinfo=UTC)
    busy = plan_series(
        pair(
            BERLIN_SIX,
            available("Europe/Berlin", ("tue", "09:00", "20:00")),
            weeks=3,
            mentor_busy=((taken, taken + timedelta(hours=1)),),
        )
    )
    assert [(u.sequence, u.reason) for u in busy.unplaced] == [(2, BookingFailure.FULLY_BOOKED)]


def test_nothing_booked_still_reports_every_date_with_its_reason() -> None:
    plan = plan_series(
        pair(
            available("Asia/Kolkata", ("wed", "09:00", "12:00")),
            available("America/Los_Angeles", ("wed", "09:00", "17:00")),
            weeks=4,
        )
    )
    assert plan.sessions == ()
    assert plan.failure == BookingFailure.NO_OVERLAP
    assert [u.sequence for u in plan.unplaced] == [1, 2, 3, 4]
    assert {u.reason for u in plan.unplaced} == {BookingFailure.NO_OVERLAP}


def test_the_failed_event_lists_each_unplaced_date_and_the_match_keeps_them() -> None:
    plan = plan_series(pair(BERLIN_SIX, NEW_YORK_NOON))
    state, events = matches.booked(confirmed_match(), plan, ZONES)
    failed = [e for e in events if isinstance(e, SessionBookingFailed)]
    assert len(failed) == 1
    event = failed[0]
    assert (event.reason, event.planned, event.booked) == (BookingFailure.NO_OVERLAP, 6, 4)
    assert [(u.sequence, u.reason) for u in event.unplaced] == [
        (3, BookingFailure.NO_OVERLAP),
        (4, BookingFailure.NO_OVERLAP),
    ]
    assert [n["sequence"] for n in state.get("unplaced", [])] == [3, 4]


def test_a_booking_that_falls_short_reports_every_date_the_match_keeps_unplaced() -> None:
    """Built from the match after the change (unplaced.report): dates it kept before
    are listed with the new one, and the counts are the whole series'."""
    week = timedelta(weeks=1)
    first = Plan(
        (
            Planned(1, MARCH, 60, SessionType.KICKOFF),
            Planned(2, MARCH + week, 60, SessionType.REGULAR),
        ),
        BookingFailure.EXCEPTION,
        "on leave",
        (unplaced.Unplaced(3, MARCH + 2 * week, BookingFailure.EXCEPTION, "on leave"),),
    )
    state, _ = matches.booked(confirmed_match(), first, ZONES)
    more = Plan(
        (Planned(4, MARCH + 3 * week, 60, SessionType.REGULAR),),
        BookingFailure.HOUR_CAP,
        "cap",
        (unplaced.Unplaced(5, MARCH + 4 * week, BookingFailure.HOUR_CAP, "cap"),),
    )
    state, events = matches.booked(state, more, ZONES)
    [failed] = [e for e in events if isinstance(e, SessionBookingFailed)]
    assert [(u.sequence, u.reason) for u in failed.unplaced] == [(3, "exception"), (5, "hour_cap")]
    assert (failed.planned, failed.booked) == (5, 3)
    assert [n["sequence"] for n in state["unplaced"]] == [3, 5]


def test_a_series_with_an_unplaced_date_is_not_complete_when_the_rest_are_held() -> None:
    plan = plan_series(pair(BERLIN_SIX, NEW_YORK_NOON))
    state, _ = matches.booked(confirmed_match(), plan, ZONES)
    events: list[object] = []
    for session in list(state["sessions"]):
        at = datetime.fromisoformat(session["starts_at"])
        state, more = sessions.record_attendance(
            state, session["session_id"], Attendance.ATTENDED, at, "mentee-1"
        )
        events.extend(more)
    assert not [e for e in events if isinstance(e, SeriesCompleted)]
    assert not state.get("series_done")
    filled = unplaced.without(unplaced.without(state, 3), 4)
    last = state["sessions"][-1]
    redone = {**last, "status": "scheduled", "attendance": None}
    again = matches.with_session(filled, redone)  # type: ignore[arg-type]
    _, closing = sessions.record_attendance(
        again, last["session_id"], Attendance.ATTENDED, datetime(2027, 4, 7, tzinfo=UTC), "x"
    )
    assert [e for e in closing if isinstance(e, SeriesCompleted)]


MENTOR_FIVE = available("Europe/Berlin", ("tue", "17:00", "18:00"))


def cohort_plan() -> tuple[list[Member], Any]:
    members = [
        Member("berlin", available("Europe/Berlin", ("tue", "16:00", "19:00"))),
        Member("sao", available("America/Sao_Paulo", ("tue", "13:00", "14:00"))),
    ]
    plan = choose_slot(
        MENTOR_FIVE,
        [],
        members,
        Series(4, 60, 8, "cohort"),
        HourBudget.of("Europe/Berlin", 20, {}),
        MARCH,
        timedelta(minutes=15),
    )
    return members, plan


def test_a_member_whose_window_stops_meeting_the_slot_after_the_switch_is_seated_before() -> None:
    """Berlin 17:00 is 13:00 in São Paulo (no DST) until Europe springs forward on
    28 March 2027, 12:00 after: the São Paulo member is seated on the four March dates
    and the four later ones are unplaced on their match as no_overlap."""
    members, plan = cohort_plan()
    assert (plan.weekday, plan.local_start) == ("tue", "17:00")
    assert len(plan.plan.sessions) == 8
    assert set(plan.attending) == {"berlin", "sao"}
    seated, missing = seating(members[1], plan.plan.sessions, plan.gaps)
    assert [s.starts_at.astimezone(BERLIN).strftime("%m-%d") for s in seated] == [
        "03-02",
        "03-09",
        "03-16",
        "03-23",
    ]
    assert [(u.sequence, u.reason, u.attendee_id) for u in missing] == [
        (k, BookingFailure.NO_OVERLAP, "sao") for k in (5, 6, 7, 8)
    ]
    assert "Tue 2027-03-30 12:00 America/Sao_Paulo" in missing[0].detail
    everyone, none = seating(members[0], plan.plan.sessions, plan.gaps)
    assert (len(everyone), none) == (8, ())


def settled_cohort(plan: Any, mentee_id: str) -> Cohort:
    """A forming cohort of one member (match m-1), settled on the plan's slot."""
    cohort: Cohort = {
        "cohort_id": "c-1",
        "program_id": "prog-1",
        "mentor_id": "mentor-1",
        "members": {"m-1": mentee_id},
        "status": CohortStatus.FORMING,
        "due_epoch": None,
    }
    settled, _ = cohort_changes.settled(cohort, plan, "Europe/Berlin")
    assert settled is not None
    return settled


def test_a_members_match_gets_their_seats_and_their_unplaced_dates() -> None:
    members, plan = cohort_plan()
    settled = settled_cohort(plan, "sao")
    mine = cohort_changes.member_plan(settled, members[1], MARCH)
    assert [p.sequence for p in mine.sessions] == [1, 2, 3, 4]
    assert mine.failure == BookingFailure.NO_OVERLAP
    state, events = matches.booked(
        {**confirmed_match(), "mentee_id": "sao"}, mine, ZONES, cohort="c-1"
    )
    failed = [e for e in events if isinstance(e, SessionBookingFailed)]
    assert [(e.cohort_id, e.planned, e.booked, len(e.unplaced)) for e in failed] == [
        ("c-1", 8, 4, 4)
    ]
    assert [n["sequence"] for n in state.get("unplaced", [])] == [5, 6, 7, 8]
    away = cohort_changes.member_plan(
        settled, Member("tokyo", available("Asia/Tokyo", ("tue", "09:00", "10:00"))), MARCH
    )
    assert (away.sessions, away.failure) == ((), BookingFailure.COHORT_SLOT)
    assert len(away.unplaced) == 8


def test_a_later_joiner_is_seated_per_date_on_the_dates_still_ahead() -> None:
    members, plan = cohort_plan()
    settled = settled_cohort(plan, "berlin")
    joiner = cohort_changes.member_plan(settled, members[1], datetime(2027, 3, 10, tzinfo=UTC))
    assert [p.sequence for p in joiner.sessions] == [3, 4]
    assert [u.sequence for u in joiner.unplaced] == [5, 6, 7, 8]


def test_a_date_the_mentor_cannot_host_is_a_gap_unplaced_for_every_member() -> None:
    mentor = available(
        "Europe/Berlin",
        ("tue", "17:00", "18:00"),
        exceptions=[{"start_date": "2027-03-16", "end_date": "2027-03-16"}],
    )
    member = Member("berlin", available("Europe/Berlin", ("tue", "16:00", "19:00")))
    plan = choose_slot(
        mentor,
        [],
        [member],
        Series(4, 60, 4, "cohort"),
        HourBudget.of("Europe/Berlin", 20, {}),
        MARCH,
        timedelta(minutes=15),
    )
    assert [s.sequence for s in plan.plan.sessions] == [1, 2, 4]
    assert [(g.sequence, g.reason) for g in plan.gaps] == [(3, BookingFailure.EXCEPTION)]
    assert plan.plan.failure == BookingFailure.EXCEPTION
    seated, missing = seating(member, plan.plan.sessions, plan.gaps)
    assert [s.sequence for s in seated] == [1, 2, 4]
    assert [(u.sequence, u.reason) for u in missing] == [(3, BookingFailure.EXCEPTION)]
