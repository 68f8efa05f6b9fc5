"""Booking a series: daylight-saving changes, zones with no shared hours, leave,
other sessions, the monthly hour cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.sessions import BookingFailure, SessionType
from mentornet_scheduler.domain.budget import HourBudget
from mentornet_scheduler.domain.planning import Booking, Person, plan_series
from mentornet_scheduler.domain.series import Series

pytestmark = pytest.mark.unit

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")


def available(zone: str, *windows: tuple[str, str, str], **extra: Any) -> Availability:
    weekly = [{"weekday": d, "start": s, "end": e} for d, s, e in windows]
    return Availability.model_validate({"timezone": zone, "weekly": weekly, **extra})


def booking(
    mentor: Availability,
    mentee: Availability,
    not_before: datetime,
    *,
    per_month: int = 4,
    weeks: int = 8,
    minutes: int = 60,
    cap_hours: float = 20,
    used: dict[str, int] | None = None,
    mentor_busy: tuple[tuple[datetime, datetime], ...] = (),
) -> Booking:
    return Booking(
        mentor=Person("mentor", mentor, mentor_busy),
        mentee=Person("mentee", mentee),
        series=Series(per_month, minutes, weeks, "standard"),
        budget=HourBudget.of(mentor.timezone, cap_hours, used or {}),
        not_before=not_before,
    )


BERLIN_EVENINGS = available("Europe/Berlin", ("tue", "18:00", "20:00"))
NEW_YORK_DAYS = available("America/New_York", ("tue", "09:00", "17:00"))


def local_times(plan_starts: list[datetime], zone: ZoneInfo) -> list[str]:
    return [s.astimezone(zone).strftime("%m-%d %H:%M") for s in plan_starts]


def test_spring_changes_keep_the_mentors_time_and_move_the_mentees_as_calendars_do() -> None:
    plan = plan_series(
        booking(BERLIN_EVENINGS, NEW_YORK_DAYS, datetime(2027, 3, 1, tzinfo=UTC), weeks=6)
    )
    starts = [s.starts_at for s in plan.sessions]
    assert plan.failure is None
    assert local_times(starts, BERLIN) == [
        "03-02 18:00",
        "03-09 18:00",
        "03-16 18:00",
        "03-23 18:00",
        "03-30 18:00",
        "04-06 18:00",
    ]
    # The US springs forward on 14 March, Europe on 28 March: for two weeks the
    # gap between the two cities is five hours, not six.
    assert local_times(starts, NEW_YORK) == [
        "03-02 12:00",
        "03-09 12:00",
        "03-16 13:00",
        "03-23 13:00",
        "03-30 12:00",
        "04-06 12:00",
    ]
    assert plan.sessions[0].session_type == SessionType.KICKOFF
    assert plan.sessions[-1].session_type == SessionType.WRAP_UP


def test_autumn_changes_the_other_way() -> None:
    plan = plan_series(
        booking(BERLIN_EVENINGS, NEW_YORK_DAYS, datetime(2027, 10, 15, tzinfo=UTC), weeks=4)
    )
    starts = [s.starts_at for s in plan.sessions]
    assert local_times(starts, BERLIN) == [
        "10-19 18:00",
        "10-26 18:00",
        "11-02 18:00",
        "11-09 18:00",
    ]
    # Europe falls back on 31 October, the US on 7 November.
    assert local_times(starts, NEW_YORK) == [
        "10-19 12:00",
        "10-26 12:00",
        "11-02 13:00",
        "11-09 12:00",
    ]
    assert [s.astimezone(UTC).hour for s in starts] == [16, 16, 17, 17]


def test_kolkata_and_los_angeles_meet_inside_both_windows_or_hear_why_not() -> None:
    kolkata_evening = available("Asia/Kolkata", ("wed", "19:30", "22:30"))
    la_morning = available("America/Los_Angeles", ("wed", "07:00", "10:00"))
    plan = plan_series(
        booking(kolkata_evening, la_morning, datetime(2027, 1, 4, tzinfo=UTC), weeks=2)
    )
    assert plan.failure is None
    for session in plan.sessions:
        ist = session.starts_at.astimezone(ZoneInfo("Asia/Kolkata"))
        pst = session.starts_at.astimezone(ZoneInfo("America/Los_Angeles"))
        end = timedelta(minutes=60)
        assert ist.strftime("%H:%M") >= "19:30"
        assert (ist + end).strftime("%H:%M") <= "22:30"
        assert pst.strftime("%H:%M") >= "07:00"
        assert (pst + end).strftime("%H:%M") <= "10:00"
    # Kolkata's 20:00 is 06:30 in LA in winter: the earliest shared start.
    assert (
        plan.sessions[0].starts_at.astimezone(ZoneInfo("Asia/Kolkata")).strftime("%H:%M") == "20:30"
    )

    kolkata_office = available("Asia/Kolkata", ("wed", "09:00", "17:00"))
    la_office = available("America/Los_Angeles", ("wed", "09:00", "17:00"))
    none = plan_series(booking(kolkata_office, la_office, datetime(2027, 1, 4, tzinfo=UTC)))
    assert none.sessions == ()
    assert none.failure == BookingFailure.NO_OVERLAP
    assert none.detail.startswith("no shared time of 60 minutes")
    assert "Asia/Kolkata" in none.detail
    assert "America/Los_Angeles" in none.detail


def test_leave_moves_that_week_to_the_nearest_time_that_fits() -> None:
    mentee = available(
        "America/New_York",
        ("tue", "09:00", "17:00"),
        ("wed", "09:00", "17:00"),
        exceptions=[{"start_date": "2027-03-16", "end_date": "2027-03-16", "reason": "leave"}],
    )
    mentor = available("Europe/Berlin", ("tue", "18:00", "20:00"), ("wed", "18:00", "20:00"))
    plan = plan_series(booking(mentor, mentee, datetime(2027, 3, 1, tzinfo=UTC), weeks=4))
    assert local_times([s.starts_at for s in plan.sessions], BERLIN) == [
        "03-02 18:00",
        "03-09 18:00",
        "03-17 18:00",
        "03-23 18:00",
    ]


def test_other_sessions_and_their_buffer_are_avoided() -> None:
    taken = datetime(2027, 3, 2, 17, 0, tzinfo=UTC)  # 18:00-19:00 Berlin
    plan = plan_series(
        booking(
            BERLIN_EVENINGS,
            NEW_YORK_DAYS,
            datetime(2027, 3, 1, tzinfo=UTC),
            weeks=1,
            minutes=30,
            mentor_busy=((taken, taken + timedelta(hours=1)),),
        )
    )
    assert local_times([plan.sessions[0].starts_at], BERLIN) == ["03-02 19:15"]


def test_the_monthly_hour_cap_counts_other_programs_and_the_series_itself() -> None:
    plan = plan_series(
        booking(
            BERLIN_EVENINGS,
            NEW_YORK_DAYS,
            datetime(2027, 3, 1, tzinfo=UTC),
            weeks=8,
            cap_hours=3,
            used={"2027-03": 60},
        )
    )
    months = [s.starts_at.astimezone(BERLIN).strftime("%Y-%m") for s in plan.sessions]
    assert months.count("2027-03") == 2
    assert months.count("2027-04") == 3
    assert plan.failure == BookingFailure.HOUR_CAP
    assert plan.detail.startswith("5 of 8 sessions booked")
    assert "3 of 3 mentoring hours booked in 2027-03" in plan.detail

    late = plan_series(
        booking(
            BERLIN_EVENINGS,
            NEW_YORK_DAYS,
            datetime(2027, 3, 1, tzinfo=UTC),
            weeks=3,
            cap_hours=1,
            used={"2027-03": 60},
        )
    )
    assert local_times([s.starts_at for s in late.sessions], BERLIN) == ["04-06 18:00"]
    assert late.failure == BookingFailure.HOUR_CAP


@pytest.mark.parametrize(
    ("per_month", "tier", "weeks", "count", "gap_days"),
    [
        (2, "standard", 12, 6, 14),
        (1, "standard", 12, 3, 28),
        (4, "standard", 12, 12, 7),
        (3, "standard", 12, 8, 10),
        (8, "standard", 4, 7, 4),
        (4, "micro", 12, 1, None),
    ],
)
def test_cadence_sets_the_interval_and_the_count(
    per_month: int, tier: str, weeks: int, count: int, gap_days: int | None
) -> None:
    series = Series(per_month, 45, weeks, tier)
    assert series.count == count
    if gap_days is not None:
        assert series.interval == timedelta(days=gap_days)


def test_milestone_programs_review_every_third_session() -> None:
    series = Series(4, 45, 12, "milestone")
    kinds = [series.session_type(i) for i in range(series.count)]
    assert kinds[0] == SessionType.KICKOFF
    assert kinds[-1] == SessionType.WRAP_UP
    assert kinds[3] == kinds[6] == kinds[9] == SessionType.MILESTONE_REVIEW


def test_a_start_chosen_by_hand_is_refused_with_the_reason() -> None:
    now = datetime(2027, 3, 1, tzinfo=UTC)
    pair = booking(BERLIN_EVENINGS, NEW_YORK_DAYS, now, cap_hours=1, used={"2027-03": 30})
    fine = datetime(2027, 3, 2, 17, 0, tzinfo=UTC)
    assert pair.refusal(fine, 30) is None
    assert pair.refusal(now - timedelta(days=1), 30) == "2027-02-28T00:00:00+00:00 is in the past"
    outside = pair.refusal(datetime(2027, 3, 2, 10, 0, tzinfo=UTC), 30)
    assert (outside or "").startswith("outside the mentor's availability")
    assert (pair.refusal(fine, 60) or "").startswith("over the monthly hour cap")


def test_the_kickoff_prefers_times_both_people_marked_preferred() -> None:
    mentor = Availability.model_validate(
        {
            "timezone": "Europe/Berlin",
            "weekly": [
                {"weekday": "tue", "start": "18:00", "end": "20:00"},
                {"weekday": "thu", "start": "18:00", "end": "20:00", "preferred": True},
            ],
        }
    )
    mentee = Availability.model_validate(
        {
            "timezone": "America/New_York",
            "weekly": [
                {"weekday": "tue", "start": "09:00", "end": "17:00"},
                {"weekday": "thu", "start": "09:00", "end": "17:00", "preferred": True},
            ],
        }
    )
    plan = plan_series(booking(mentor, mentee, datetime(2027, 3, 1, tzinfo=UTC), weeks=2))
    assert local_times([s.starts_at for s in plan.sessions], BERLIN) == [
        "03-04 18:00",
        "03-11 18:00",
    ]
    plain = plan_series(booking(BERLIN_EVENINGS, NEW_YORK_DAYS, datetime(2027, 3, 1, tzinfo=UTC)))
    assert local_times([plain.sessions[0].starts_at], BERLIN) == ["03-02 18:00"]
