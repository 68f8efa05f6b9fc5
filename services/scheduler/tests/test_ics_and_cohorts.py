"""iCalendar output parsed back with the icalendar library; a cohort's weekly slot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.sessions import BookingFailure
from mentornet_scheduler.domain import ics, sessions
from mentornet_scheduler.domain.budget import HourBudget
from mentornet_scheduler.domain.cohorts import choose_slot
from mentornet_scheduler.domain.seating import Member, seating
from mentornet_scheduler.domain.series import Series
from mentornet_scheduler.domain.state import Match, Session

from .builders import NOW, ZONES, booked_match

pytestmark = pytest.mark.unit

FIRST = datetime(2027, 3, 23, 17, 0, tzinfo=UTC)
AFTER_DST = datetime(2027, 3, 30, 16, 0, tzinfo=UTC)


def parsed(data: bytes) -> list[icalendar.Component]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_the_feed_parses_to_the_same_instants_in_the_participants_zone() -> None:
    state = booked_match(FIRST, AFTER_DST)
    data = ics.calendar([(state, s) for s in state["sessions"]], "America/New_York", NOW, "Ada")
    events = parsed(data)
    assert [e.decoded("dtstart") for e in events] == [FIRST, AFTER_DST]
    assert [e.decoded("dtstart").tzinfo.key for e in events] == ["America/New_York"] * 2
    assert [e.decoded("dtend") - e.decoded("dtstart") for e in events] == [timedelta(hours=1)] * 2
    assert [str(e["uid"]) for e in events] == [
        f"{s['session_id']}@mentornet" for s in state["sessions"]
    ]
    calendar = icalendar.Calendar.from_ical(data)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert b"Ada Lovelace" not in data


def test_an_update_raises_sequence_and_a_cancellation_is_cancelled() -> None:
    state = booked_match(FIRST, AFTER_DST)
    sid = state["sessions"][0]["session_id"]
    moved, _ = sessions.reschedule(state, sid, FIRST + timedelta(days=1), ZONES, "travel")
    gone, _ = sessions.cancel(moved, state["sessions"][1]["session_id"], "sick")
    events = parsed(ics.calendar([(gone, s) for s in gone["sessions"]], "Europe/Berlin", NOW, "x"))
    assert [e.decoded("sequence") for e in events] == [1, 1]
    assert [str(e["status"]) for e in events] == ["CONFIRMED", "CANCELLED"]
    assert events[0].decoded("dtstart") == FIRST + timedelta(days=1)
    assert events[0].decoded("dtstart").astimezone(ZoneInfo("Europe/Berlin")).hour == 18


def weekly(zone: str, *windows: tuple[str, str, str], **extra: object) -> Availability:
    return Availability.model_validate(
        {
            "timezone": zone,
            "weekly": [{"weekday": d, "start": s, "end": e} for d, s, e in windows],
            **extra,
        }
    )


def test_the_cohort_slot_suits_most_member_dates_and_seats_each_member_per_date() -> None:
    mentor = weekly("Europe/Berlin", ("tue", "09:00", "20:00"))
    members = [
        Member("ny-1", weekly("America/New_York", ("tue", "11:00", "14:00"))),
        Member("ny-2", weekly("America/New_York", ("tue", "12:00", "13:30"))),
        Member(
            "lon-1",
            weekly(
                "Europe/London",
                ("tue", "16:00", "19:00"),
                exceptions=[{"start_date": "2027-01-12", "end_date": "2027-01-12"}],
            ),
        ),
        Member("tokyo", weekly("Asia/Tokyo", ("tue", "09:00", "10:00"))),
    ]
    plan = choose_slot(
        mentor,
        [],
        members,
        Series(4, 60, 8, "cohort"),
        HourBudget.of("Europe/Berlin", 20, {}),
        datetime(2027, 1, 4, tzinfo=UTC),
        timedelta(minutes=15),
    )
    assert (plan.weekday, plan.local_start) == ("tue", "18:00")
    assert set(plan.attending) == {"ny-1", "ny-2", "lon-1"}
    unable = dict(plan.unable)
    assert set(unable) == {"tokyo"}
    assert unable["tokyo"].startswith("outside the mentee's windows: the slot is wed 02:00-03:00")
    assert len(plan.plan.sessions) == 8
    assert all(
        s.starts_at.astimezone(ZoneInfo("Europe/Berlin")).hour == 18 for s in plan.plan.sessions
    )
    # London is away on 12 January only: seated on the other seven dates, that one
    # unplaced on their match as an exception.
    seated, missing = seating(members[2], plan.plan.sessions, plan.gaps)
    assert [s.sequence for s in seated] == [1, 3, 4, 5, 6, 7, 8]
    assert [(u.sequence, u.reason, u.attendee_id) for u in missing] == [
        (2, BookingFailure.EXCEPTION, "lon-1")
    ]
    assert "away around Tue 2027-01-12 17:00 Europe/London" in missing[0].detail


def test_a_cohort_nobody_can_join_is_a_clear_failure() -> None:
    plan = choose_slot(
        weekly("Asia/Kolkata", ("wed", "09:00", "12:00")),
        [],
        [Member("la", weekly("America/Los_Angeles", ("wed", "09:00", "17:00")))],
        Series(4, 60, 4, "cohort"),
        HourBudget.of("Asia/Kolkata", 20, {}),
        datetime(2027, 1, 4, tzinfo=UTC),
        timedelta(minutes=15),
    )
    assert plan.plan.failure == BookingFailure.NO_OVERLAP
    assert plan.plan.sessions == ()
    assert dict(plan.unable)["la"].startswith("outside the mentee's windows")


def test_the_night_the_clocks_fall_back_keeps_the_true_instants_and_length() -> None:
    """01:30 happens twice in New York on 7 November 2027: both sessions, and their
    ends, parse back to the instants booked."""
    first_1_30 = datetime(2027, 11, 7, 5, 30, tzinfo=UTC)
    second_1_15 = datetime(2027, 11, 7, 6, 15, tzinfo=UTC)
    state = booked_match(first_1_30, second_1_15 + timedelta(days=7))
    state["sessions"][1]["starts_at"] = second_1_15.isoformat()
    events = parsed(
        ics.calendar([(state, s) for s in state["sessions"]], "America/New_York", NOW, "x")
    )
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [
        (first_1_30, first_1_30 + timedelta(hours=1)),
        (second_1_15, second_1_15 + timedelta(hours=1)),
    ]


def test_a_cohort_session_appears_once_in_the_mentors_feed() -> None:
    one = booked_match(FIRST)
    group: Session = {**one["sessions"][0], "cohort_id": "c-1", "booking_id": "c-1:1"}
    member_a: Match = {**one, "match_id": "m-a", "sessions": [group]}
    member_b: Match = {**one, "match_id": "m-b", "sessions": [{**group, "session_id": "s-other"}]}
    data = ics.calendar(
        [(member_a, group), (member_b, member_b["sessions"][0])], "Europe/Berlin", NOW, "x"
    )
    assert [str(e["uid"]) for e in parsed(data)] == ["c-1:1@mentornet"]
