"""Property tests of the one shared-time arithmetic (mentornet_contracts.timewindows):
minutes shared by two people, counted on their real dates, equal a brute-force count
of every minute in the span, for zones drawn from the whole IANA database (the odd
offsets and the zones whose rules changed always among them), any-minute windows,
dated exceptions and spans across the switches of both hemispheres."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mentornet_contracts.events.common import Availability
from mentornet_contracts.timewindows import (
    WEEKDAYS,
    free_intervals,
    minutes,
    shared_minutes,
    wall_clock,
    zone,
)
from mentornet_tooling.testing.wallclock import free_by_wall_clock

pytestmark = pytest.mark.unit

MUST = (
    "Asia/Kathmandu",  # +05:45
    "Australia/Eucla",  # +08:45
    "America/St_Johns",  # -03:30, with DST
    "Pacific/Chatham",  # +13:45, with DST
    "Australia/Lord_Howe",  # a half-hour DST shift
    "Asia/Tehran",  # dropped DST in 2022
    "America/Mexico_City",  # dropped DST in 2022
    "Pacific/Apia",  # dropped DST in 2021
    "America/Nuuk",  # changed rules in 2023
    "Africa/Casablanca",  # switches around Ramadan
    "Europe/Berlin",
    "America/New_York",
    "America/Santiago",  # southern hemisphere
    "Australia/Sydney",  # southern hemisphere
)
ZONES = sorted(available_timezones())
SWITCHES = (
    # northern spring and autumn, southern autumn and spring, 2026-2027
    date(2026, 3, 6),
    date(2026, 3, 26),
    date(2026, 4, 2),
    date(2026, 9, 25),
    date(2026, 10, 22),
    date(2026, 10, 29),
    date(2027, 3, 10),
    date(2027, 3, 25),
    date(2027, 4, 1),
    date(2027, 9, 23),
    date(2027, 10, 28),
    date(2027, 11, 4),
)

zones = st.one_of(st.sampled_from(MUST), st.sampled_from(ZONES))


@st.composite
def hhmm_pair(draw: st.DrawFn) -> tuple[str, str]:
    """Any minute; half the time around the small hours, where clocks change."""
    if draw(st.booleans()):
        start = draw(st.integers(0, 24 * 60 - 1))
        end = draw(st.integers(start + 1, 24 * 60))
    else:
        start = draw(st.integers(0, 4 * 60))
        end = draw(st.integers(start + 1, 5 * 60))
    return f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"


def switches(tz: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """The local wall-clock moments just before the zone's offset changes in the span."""
    found, moment = [], start
    while moment < end:
        later = moment + timedelta(minutes=15)
        if moment.astimezone(tz).utcoffset() != later.astimezone(tz).utcoffset():
            found.append(moment.astimezone(tz))
        moment = later
    return found


@st.composite
def availabilities(draw: st.DrawFn, around: date, start: datetime, end: datetime) -> Availability:
    """Any-minute windows; when the zone switches in the span, some windows straddle
    the switch on its local day."""
    name = draw(zones)
    tz = ZoneInfo(name)
    windows = []
    for _ in range(draw(st.integers(0, 6))):
        first, last = draw(hhmm_pair())
        windows.append({"weekday": draw(st.sampled_from(WEEKDAYS)), "start": first, "end": last})
    for switch in switches(tz, start, end)[:2]:
        if draw(st.booleans()):
            at = switch.hour * 60 + switch.minute
            first_m = max(0, at - draw(st.integers(0, 90)))
            last_m = min(24 * 60, max(first_m + 1, at + draw(st.integers(1, 120))))
            windows.append(
                {
                    "weekday": WEEKDAYS[switch.weekday()],
                    "start": f"{first_m // 60:02d}:{first_m % 60:02d}",
                    "end": f"{last_m // 60:02d}:{last_m % 60:02d}",
                }
            )
    leave = []
    for _ in range(draw(st.integers(0, 2))):
        first_day = around + timedelta(days=draw(st.integers(-2, 10)))
        leave.append(
            {
                "start_date": first_day.isoformat(),
                "end_date": (first_day + timedelta(days=draw(st.integers(0, 3)))).isoformat(),
            }
        )
    return Availability.model_validate({"timezone": name, "weekly": windows, "exceptions": leave})


def brute_force(a: Availability, b: Availability, start: datetime, end: datetime) -> int:
    count, moment = 0, start
    while moment < end:
        if free_by_wall_clock(a, moment) and free_by_wall_clock(b, moment):
            count += 1
        moment += timedelta(minutes=1)
    return count


@st.composite
def spans(draw: st.DrawFn) -> tuple[date, datetime, datetime]:
    around = draw(st.sampled_from(SWITCHES))
    start = datetime.combine(around, time(0), tzinfo=UTC) + timedelta(
        minutes=draw(st.integers(0, 24 * 60 - 1))
    )
    return around, start, start + timedelta(days=draw(st.integers(3, 6)))


@settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_shared_minutes_equal_a_minute_by_minute_count(data: st.DataObject) -> None:
    around, start, end = data.draw(spans())
    a = data.draw(availabilities(around, start, end))
    b = data.draw(availabilities(around, start, end))
    assert shared_minutes(a, b, start, end) == brute_force(a, b, start, end)


@settings(derandomize=True, max_examples=40, deadline=None)
@given(data=st.data())
def test_a_persons_free_minutes_equal_a_minute_by_minute_count(data: st.DataObject) -> None:
    around, start, end = data.draw(spans())
    a = data.draw(availabilities(around, start, end))
    counted = sum(
        free_by_wall_clock(a, start + timedelta(minutes=k))
        for k in range(int((end - start).total_seconds()) // 60)
    )
    assert minutes(free_intervals(a, start, end)) == counted


def person(timezone: str, weekday: str, start: str, end: str) -> Availability:
    return Availability.model_validate(
        {"timezone": timezone, "weekly": [{"weekday": weekday, "start": start, "end": end}]}
    )


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def free_on(who: Availability, day: date) -> list[tuple[datetime, datetime]]:
    begin = datetime.combine(day, time(0), tzinfo=UTC) - timedelta(days=1)
    return free_intervals(who, begin, begin + timedelta(days=3))


def test_a_window_ending_in_the_new_york_gap_ends_at_the_jump() -> None:
    """14 Mar 2027: 02:00 EST becomes 03:00 EDT at 07:00Z; 02:30 never shows."""
    who = person("America/New_York", "sun", "01:00", "02:30")
    assert free_on(who, date(2027, 3, 14)) == [(utc(2027, 3, 14, 6), utc(2027, 3, 14, 7))]
    late = person("America/New_York", "sun", "02:30", "04:00")
    assert free_on(late, date(2027, 3, 14)) == [(utc(2027, 3, 14, 7), utc(2027, 3, 14, 8))]
    inside_gap = person("America/New_York", "sun", "02:00", "03:00")
    assert free_on(inside_gap, date(2027, 3, 14)) == []
    ny = zone("America/New_York")
    assert wall_clock(date(2027, 3, 14), "02:30", ny) == utc(2027, 3, 14, 7)
    assert wall_clock(date(2027, 3, 14), "03:30", ny) == utc(2027, 3, 14, 7, 30)


def test_a_repeated_new_york_hour_counts_where_the_clock_shows_the_window() -> None:
    """7 Nov 2027: 01:00-02:00 shows twice (05:00-06:00Z EDT, 06:00-07:00Z EST)."""
    short = person("America/New_York", "sun", "01:00", "01:30")
    assert free_on(short, date(2027, 11, 7)) == [
        (utc(2027, 11, 7, 5), utc(2027, 11, 7, 5, 30)),
        (utc(2027, 11, 7, 6), utc(2027, 11, 7, 6, 30)),
    ]
    across = person("America/New_York", "sun", "01:30", "02:30")
    assert free_on(across, date(2027, 11, 7)) == [
        (utc(2027, 11, 7, 5, 30), utc(2027, 11, 7, 6)),
        (utc(2027, 11, 7, 6, 30), utc(2027, 11, 7, 7, 30)),
    ]
    assert wall_clock(date(2027, 11, 7), "01:30", zone("America/New_York")) == utc(
        2027, 11, 7, 5, 30
    )


def test_chathams_repeated_and_skipped_quarter_hours() -> None:
    """Chatham (+13:45/+12:45): 03:45 goes back to 02:45 on 4 Apr 2027 (14:00Z);
    02:45 jumps to 03:45 on 27 Sep 2026 (14:00Z)."""
    window = person("Pacific/Chatham", "sun", "02:45", "03:45")
    assert free_on(window, date(2027, 4, 4)) == [(utc(2027, 4, 3, 13), utc(2027, 4, 3, 15))]
    assert free_on(window, date(2026, 9, 27)) == []
    half = person("Pacific/Chatham", "sun", "03:15", "04:15")
    assert free_on(half, date(2027, 4, 4)) == [
        (utc(2027, 4, 3, 13, 30), utc(2027, 4, 3, 14)),
        (utc(2027, 4, 3, 14, 30), utc(2027, 4, 3, 15, 30)),
    ]


def test_santiagos_midnight_switches() -> None:
    """Santiago: Saturday 24:00 goes back to 23:00 on 4 Apr 2026 (04:00Z), so that
    Saturday's 23:00-24:00 shows twice; Saturday 24:00 jumps to Sunday 01:00 on 6 Sep
    2026 (04:00Z), so that Sunday has no 00:00-01:00."""
    evening = person("America/Santiago", "sat", "22:30", "24:00")
    assert free_on(evening, date(2026, 4, 4)) == [(utc(2026, 4, 5, 1, 30), utc(2026, 4, 5, 4))]
    late = person("America/Santiago", "sat", "23:30", "24:00")
    assert free_on(late, date(2026, 4, 4)) == [
        (utc(2026, 4, 5, 2, 30), utc(2026, 4, 5, 3)),
        (utc(2026, 4, 5, 3, 30), utc(2026, 4, 5, 4)),
    ]
    small_hours = person("America/Santiago", "sun", "00:00", "02:00")
    assert free_on(small_hours, date(2026, 9, 6)) == [(utc(2026, 9, 6, 4), utc(2026, 9, 6, 5))]
    santiago = zone("America/Santiago")
    assert wall_clock(date(2026, 9, 5), "24:00", santiago) == utc(2026, 9, 6, 4)
    assert wall_clock(date(2026, 9, 6), "00:30", santiago) == utc(2026, 9, 6, 4)
