"""Property tests: every booked session lies inside every attendee's window on its
actual date, and every planned date is booked or reported unplaced with a reason.

Zones come from the whole IANA database (the odd offsets and zones whose rules
changed always among them), windows start and end at any minute, people take dated
leave, and series start around the switches of both hemispheres in 2026 and 2027.
Whether a session suits an attendee is checked here on its own, off their wall
clock: a session is inside an attendee's window iff every minute of it, converted to
the attendee's local wall clock, lies within one of their windows for that local date
and weekday, not on a day of leave. Explicit examples at the end: a New York gap, and
the repeated hours of Chatham and Santiago."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.sessions import BookingFailure
from mentornet_scheduler.domain.budget import HourBudget
from mentornet_scheduler.domain.cohorts import choose_slot
from mentornet_scheduler.domain.planning import Booking, Person, Plan, plan_series
from mentornet_scheduler.domain.seating import Member, seating
from mentornet_scheduler.domain.series import Series
from mentornet_scheduler.domain.unplaced import Unplaced
from mentornet_scheduler.domain.windows import WEEKDAYS
from mentornet_tooling.testing.wallclock import away, free_by_wall_clock, minute_of

pytestmark = pytest.mark.unit

MUST = (
    "Asia/Kathmandu",
    "Australia/Eucla",
    "America/St_Johns",
    "Pacific/Chatham",
    "Australia/Lord_Howe",
    "Asia/Tehran",
    "America/Mexico_City",
    "Pacific/Apia",
    "America/Nuuk",
    "Africa/Casablanca",
    "Europe/Berlin",
    "America/New_York",
    "America/Santiago",
    "Australia/Sydney",
)
ZONES = sorted(available_timezones())
STARTS = (
    date(2026, 3, 2),
    date(2026, 3, 20),
    date(2026, 9, 14),
    date(2026, 10, 15),
    date(2027, 3, 1),
    date(2027, 3, 22),
    date(2027, 9, 20),
    date(2027, 10, 20),
)
PROPERTY = settings(
    derandomize=True,
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
zones = st.one_of(st.sampled_from(MUST), st.sampled_from(ZONES))


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def windows(draw: st.DrawFn) -> dict[str, str]:
    start = draw(st.integers(0, 24 * 60 - 30))
    end = draw(st.integers(start + 1, min(24 * 60, start + 10 * 60)))
    return {"weekday": draw(st.sampled_from(WEEKDAYS)), "start": hhmm(start), "end": hhmm(end)}


@st.composite
def availabilities(draw: st.DrawFn, begin: date) -> Availability:
    leave = []
    for _ in range(draw(st.integers(0, 2))):
        first = begin + timedelta(days=draw(st.integers(0, 70)))
        last = first + timedelta(days=draw(st.integers(0, 9)))
        leave.append({"start_date": first.isoformat(), "end_date": last.isoformat()})
    weekly = draw(st.lists(windows(), min_size=1, max_size=5))
    return Availability.model_validate(
        {"timezone": draw(zones), "weekly": weekly, "exceptions": leave}
    )


@st.composite
def meeting(draw: st.DrawFn, begin: date, mentor: Availability) -> Availability:
    """Someone whose windows meet the mentor's in the first week (often), in any zone:
    the clock changes of the two zones then move them apart or together."""
    other = draw(availabilities(begin))
    tz, theirs = ZoneInfo(mentor.timezone), ZoneInfo(other.timezone)
    added = []
    for window in mentor.weekly[: draw(st.integers(1, 2))]:
        day = begin + timedelta(days=(WEEKDAYS.index(window.weekday) - begin.weekday()) % 7)
        start = minute_of(window.start)
        there = datetime.combine(day, time(start // 60, start % 60), tzinfo=tz).astimezone(theirs)
        first = max(0, there.hour * 60 + there.minute - draw(st.integers(0, 90)))
        last = min(24 * 60, first + draw(st.integers(30, 300)))
        added.append(
            {"weekday": WEEKDAYS[there.weekday()], "start": hhmm(first), "end": hhmm(last)}
        )
    weekly = [w.model_dump() for w in other.weekly][:3] + added
    return other.model_copy(
        update={
            "weekly": tuple(
                Availability.model_validate({"timezone": other.timezone, "weekly": weekly}).weekly
            )
        }
    )


def attends(availability: Availability, start: datetime, minutes: int) -> bool:
    return all(
        free_by_wall_clock(availability, start + timedelta(minutes=k)) for k in range(minutes)
    )


def outside(who: str, availability: Availability, start: datetime, minutes: int) -> str:
    tz = ZoneInfo(availability.timezone)
    return (
        f"{who} at {start.astimezone(tz).isoformat()} ({availability.timezone}) for "
        f"{minutes} min, windows {[(w.weekday, w.start, w.end) for w in availability.weekly]}"
        f", away {sorted(away(availability))}"
    )


@st.composite
def series(draw: st.DrawFn) -> Series:
    return Series(
        draw(st.sampled_from((1, 2, 4))),
        draw(st.sampled_from((30, 45, 60))),
        draw(st.integers(4, 10)),
        "standard",
    )


@st.composite
def not_befores(draw: st.DrawFn) -> datetime:
    day = draw(st.sampled_from(STARTS))
    return datetime.combine(day, time(0), tzinfo=UTC) + timedelta(
        minutes=15 * draw(st.integers(0, 95))
    )


@PROPERTY
@given(data=st.data())
def test_no_booked_one_to_one_session_lies_outside_either_window(data: st.DataObject) -> None:
    begin = data.draw(not_befores())
    plan_of = data.draw(series())
    mentor = data.draw(availabilities(begin.date()))
    mentee = data.draw(meeting(begin.date(), mentor))
    cap = data.draw(st.sampled_from((2.0, 40.0)))
    plan = plan_series(
        Booking(
            mentor=Person("mentor", mentor),
            mentee=Person("mentee", mentee),
            series=plan_of,
            budget=HourBudget.of(mentor.timezone, cap, {}),
            not_before=begin,
        )
    )
    event(f"1:1 booked {min(len(plan.sessions), 1)}, unplaced {bool(plan.unplaced)}")
    for session in plan.sessions:
        for who, availability in (("mentor", mentor), ("mentee", mentee)):
            assert attends(availability, session.starts_at, session.minutes), outside(
                who, availability, session.starts_at, session.minutes
            )
    _every_date_accounted(plan_of.count, [p.sequence for p in plan.sessions], plan)
    if plan.unplaced:
        _reason_holds(plan.unplaced[0], (mentor, mentee), plan_of, begin)


def _reason_holds(
    date_: Unplaced, people: Sequence[Availability], series_: Series, begin: datetime
) -> None:
    """Checked off the wall clocks: no_overlap means no whole session inside both
    weekly windows within the tolerance; exception means there is one, but leave
    takes it; hour_cap and fully_booked mean both are free for one."""
    tolerance, length = series_.tolerance, series_.session_minutes
    first = max(date_.target - tolerance, begin)
    last = date_.target + tolerance
    weekly = [p.model_copy(update={"exceptions": ()}) for p in people]
    meets_weekly = _some_start(weekly, first, last, length)
    meets = _some_start(list(people), first, last, length)
    if date_.reason == BookingFailure.NO_OVERLAP:
        assert not meets_weekly, date_
    elif date_.reason == BookingFailure.EXCEPTION:
        assert meets_weekly, date_
        assert not meets, date_
    else:
        assert meets, date_


def _some_start(
    people: Sequence[Availability], first: datetime, last: datetime, length: int
) -> bool:
    """A start on the 15-minute UTC grid in [first, last] where everyone is free for
    the whole session, minute by minute."""
    span = int((last - first).total_seconds() // 60) + length
    free = [
        all(free_by_wall_clock(p, first + timedelta(minutes=k)) for p in people)
        for k in range(span)
    ]
    run = [0] * (span + 1)
    for k in range(span - 1, -1, -1):
        run[k] = run[k + 1] + 1 if free[k] else 0
    offset = (-int(first.timestamp() // 60)) % 15
    return any(run[k] >= length for k in range(offset, span - length + 1, 15))


def _every_date_accounted(count: int, booked: Sequence[int], plan: Plan | _Dates) -> None:
    unplaced = plan.unplaced
    placed = set(booked) | {u.sequence for u in unplaced}
    assert placed == set(range(1, count + 1)), (sorted(booked), unplaced)
    assert not set(booked) & {u.sequence for u in unplaced}
    assert all(u.reason for u in unplaced)


@PROPERTY
@given(data=st.data())
def test_no_cohort_member_is_seated_outside_their_window(data: st.DataObject) -> None:
    begin = data.draw(not_befores())
    plan_of = data.draw(series())
    mentor = data.draw(availabilities(begin.date()))
    members = [
        Member(f"p-{i}", data.draw(meeting(begin.date(), mentor)))
        for i in range(data.draw(st.integers(1, 8)))
    ]
    chosen = choose_slot(
        mentor,
        [],
        members,
        plan_of,
        HourBudget.of(mentor.timezone, 40, {}),
        begin,
        timedelta(minutes=15),
    )
    for session in chosen.plan.sessions:
        assert attends(mentor, session.starts_at, session.minutes), outside(
            "mentor", mentor, session.starts_at, session.minutes
        )
    if not chosen.plan.sessions:
        assert chosen.plan.failure is not None
        assert {m for m, _ in chosen.unable} == {m.mentee_id for m in members}
        return
    _every_date_accounted(plan_of.count, [p.sequence for p in chosen.plan.sessions], chosen.plan)
    event(f"cohort gaps {bool(chosen.gaps)}")
    for member in members:
        assert member.availability is not None
        seats, missing = seating(member, chosen.plan.sessions, chosen.gaps)
        for session in seats:
            assert attends(member.availability, session.starts_at, session.minutes), outside(
                member.mentee_id, member.availability, session.starts_at, session.minutes
            )
        for date_ in missing:
            if date_.attendee_id == member.mentee_id:
                _member_reason_holds(member.availability, date_, plan_of.session_minutes)
        event(f"member seated {bool(seats)}, dates unplaced {bool(missing)}")
        _every_date_accounted(plan_of.count, [p.sequence for p in seats], _Dates(missing))
        assert (member.mentee_id in chosen.attending) == bool(seats)


def _member_reason_holds(availability: Availability, date_: Unplaced, minutes: int) -> None:
    """A member left out of a group session really cannot attend it, for that reason."""
    weekly = availability.model_copy(update={"exceptions": ()})
    assert not attends(availability, date_.target, minutes), date_
    if date_.reason == BookingFailure.NO_OVERLAP:
        assert not attends(weekly, date_.target, minutes), date_
    else:
        assert date_.reason == BookingFailure.EXCEPTION, date_
        assert attends(weekly, date_.target, minutes), date_


@dataclass(frozen=True)
class _Dates:
    unplaced: tuple[Unplaced, ...]


def _one_to_one(mentor: Availability, mentee: Availability, of: Series, begin: datetime) -> Plan:
    return plan_series(
        Booking(
            mentor=Person("mentor", mentor),
            mentee=Person("mentee", mentee),
            series=of,
            budget=HourBudget.of(mentor.timezone, 40, {}),
            not_before=begin,
        )
    )


def _weekly(timezone: str, *windows: tuple[str, str, str]) -> Availability:
    return Availability.model_validate(
        {
            "timezone": timezone,
            "weekly": [{"weekday": d, "start": s, "end": e} for d, s, e in windows],
        }
    )


def _checked(plan: Plan, *people: Availability) -> None:
    for session in plan.sessions:
        for person in people:
            assert attends(person, session.starts_at, session.minutes), outside(
                person.timezone, person, session.starts_at, session.minutes
            )


def test_a_new_york_window_ending_in_the_gap_takes_no_session_past_the_jump() -> None:
    """Sunday 01:00-02:30 in New York; on 14 Mar 2027 02:30 never shows (02:00 EST
    becomes 03:00 EDT at 07:00Z), so a 90-minute session at 01:00 would run to 03:30
    on the clock: that date is unplaced, the others booked at 01:00."""
    mentor = _weekly("America/New_York", ("sun", "01:00", "02:30"))
    mentee = _weekly("Etc/UTC", ("sun", "00:00", "24:00"))
    begin = datetime(2027, 3, 1, tzinfo=UTC)
    plan = _one_to_one(mentor, mentee, Series(4, 90, 3, "standard"), begin)
    _checked(plan, mentor, mentee)
    ny = ZoneInfo("America/New_York")
    starts = [
        (p.sequence, p.starts_at.astimezone(ny).strftime("%m-%d %H:%M")) for p in plan.sessions
    ]
    assert starts == [(1, "03-07 01:00"), (3, "03-21 01:00")]
    assert [(u.sequence, u.reason) for u in plan.unplaced] == [(2, BookingFailure.NO_OVERLAP)]


@pytest.mark.parametrize(
    ("mentor", "mentee", "begin", "start"),
    [
        pytest.param(
            _weekly("Pacific/Chatham", ("sun", "02:45", "03:45")),
            _weekly("Etc/UTC", ("sat", "12:00", "16:00")),
            datetime(2027, 3, 29, tzinfo=UTC),
            datetime(2027, 4, 3, 13, 0, tzinfo=UTC),
            id="chatham-03:45-back-to-02:45-on-4-apr-2027",
        ),
        pytest.param(
            _weekly("America/Santiago", ("sat", "23:00", "24:00")),
            _weekly("Etc/UTC", ("sun", "00:00", "06:00")),
            datetime(2026, 4, 1, tzinfo=UTC),
            datetime(2026, 4, 5, 2, 0, tzinfo=UTC),
            id="santiago-24:00-back-to-23:00-on-4-apr-2026",
        ),
    ],
)
def test_a_repeated_hour_gives_a_one_hour_window_room_for_90_minutes(
    mentor: Availability, mentee: Availability, begin: datetime, start: datetime
) -> None:
    """Chatham goes back from 03:45 to 02:45 (13:00-15:00Z shows 02:45-03:45 twice);
    Santiago from Saturday 24:00 to 23:00 (02:00-04:00Z shows 23:00-24:00 twice): the
    one-hour window lasts two hours that night, room for 90 minutes; a week later it
    has one hour again."""
    plan = _one_to_one(mentor, mentee, Series(4, 90, 2, "standard"), begin)
    _checked(plan, mentor, mentee)
    assert [(p.sequence, p.starts_at) for p in plan.sessions] == [(1, start)]
    assert [(u.sequence, u.reason) for u in plan.unplaced] == [(2, BookingFailure.NO_OVERLAP)]
