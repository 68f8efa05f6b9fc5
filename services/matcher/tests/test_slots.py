"""Availability as UTC minutes over the program's span: daylight saving, leave,
windows across UTC midnight and zones whose offsets are not whole hours."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from mentornet_contracts import timewindows
from mentornet_contracts.events.common import Availability
from mentornet_matcher.domain.slots import Span, free_minutes, horizon_start, merge

pytestmark = pytest.mark.unit

START = horizon_start(date(2027, 3, 15))  # a Monday; Berlin springs forward on 28 March
FOUR_WEEKS = Span(START, 4)
DAY = 24 * 60


def availability(zone: str, *windows: str, leave: tuple[str, str] | None = None) -> Availability:
    weekly = []
    for window in windows:
        day, span = window.split(" ")
        start, end = span.split("-")
        weekly.append({"weekday": day, "start": start, "end": end})
    exceptions = [{"start_date": leave[0], "end_date": leave[1]}] if leave else []
    return Availability.model_validate(
        {"timezone": zone, "weekly": weekly, "exceptions": exceptions}
    )


def utc_starts(times: np.ndarray, day: int) -> list[tuple[float, float]]:
    """The intervals starting on a UTC day of the span, as (start, end) hours of it."""
    on = times[(times[:, 0] >= day * DAY) & (times[:, 0] < (day + 1) * DAY)] - day * DAY
    return [(b / 60, e / 60) for b, e in on.tolist()]


def test_a_local_window_moves_in_utc_when_daylight_saving_starts() -> None:
    berlin = free_minutes(availability("Europe/Berlin", "mon 09:00-10:00"), FOUR_WEEKS)
    assert utc_starts(berlin, 0) == [(8.0, 9.0)]  # 15 March, CET
    assert utc_starts(berlin, 7) == [(8.0, 9.0)]
    assert utc_starts(berlin, 14) == [(7.0, 8.0)]  # 29 March, CEST
    assert utc_starts(berlin, 21) == [(7.0, 8.0)]
    assert len(berlin) == 4


def test_quarter_and_half_hour_zones_keep_their_minutes() -> None:
    kathmandu = free_minutes(availability("Asia/Kathmandu", "mon 14:45-15:45"), FOUR_WEEKS)
    st_johns = free_minutes(availability("America/St_Johns", "mon 06:30-07:30"), FOUR_WEEKS)
    assert utc_starts(kathmandu, 0) == [(9.0, 10.0)]  # +05:45
    assert utc_starts(st_johns, 0) == [(9.0, 10.0)]  # -02:30 in March (daylight time)


def test_leave_removes_the_days_it_covers() -> None:
    on_leave = free_minutes(
        availability("Europe/Berlin", "mon 09:00-10:00", leave=("2027-03-22", "2027-03-26")),
        FOUR_WEEKS,
    )
    assert utc_starts(on_leave, 7) == []
    assert len(on_leave) == 3


def test_a_window_crossing_utc_midnight_and_one_ending_at_24_00() -> None:
    tokyo = free_minutes(availability("Asia/Tokyo", "tue 08:00-10:00"), FOUR_WEEKS)
    assert utc_starts(tokyo, 0) == [(23.0, 25.0)]  # Monday evening in UTC, into Tuesday
    late = free_minutes(availability("UTC", "sun 23:00-24:00"), FOUR_WEEKS)
    assert utc_starts(late, 6) == [(23.0, 24.0)]
    assert len(late) == 4


def test_the_span_runs_the_programs_weeks_and_matches_timewindows() -> None:
    person = availability("America/New_York", "wed 10:00-12:00", "wed 11:00-13:00")
    span = Span(START, 26)
    times = free_minutes(person, span)
    expected = timewindows.free_intervals(person, START, START + timedelta(weeks=26))
    assert len(times) == 26  # the two windows merged, every week of the half year
    assert [
        (START + timedelta(minutes=int(b)), START + timedelta(minutes=int(e)))
        for b, e in times.tolist()
    ] == expected


def test_merge_joins_overlapping_and_touching_rows() -> None:
    rows = np.asarray([[50, 60], [0, 10], [10, 20], [15, 30]], np.int64)
    assert merge(rows).tolist() == [[0, 30], [50, 60]]
