"""Availability overlap in UTC over the horizon: daylight saving and leave honoured."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from mentornet_contracts.events.common import Availability
from mentornet_matcher.domain.slots import (
    HORIZON_SLOTS,
    SLOTS_PER_DAY,
    horizon_start,
    utc_slots,
    weekly_overlap_hours,
)

pytestmark = pytest.mark.unit

START = horizon_start(date(2027, 3, 15))  # a Monday; Berlin springs forward on 28 March


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


def utc_hours_on(slots: np.ndarray, day: int) -> list[float]:
    marked = np.flatnonzero(slots[day * SLOTS_PER_DAY : (day + 1) * SLOTS_PER_DAY])
    return [slot / 2 for slot in marked]


def test_a_local_window_moves_in_utc_when_daylight_saving_starts() -> None:
    berlin = utc_slots(availability("Europe/Berlin", "mon 09:00-10:00"), START)
    assert utc_hours_on(berlin, 0) == [8.0, 8.5]  # 15 March, CET
    assert utc_hours_on(berlin, 7) == [8.0, 8.5]
    assert utc_hours_on(berlin, 14) == [7.0, 7.5]  # 29 March, CEST
    assert utc_hours_on(berlin, 21) == [7.0, 7.5]
    assert np.count_nonzero(berlin) == 8


def test_overlap_counts_only_the_weeks_before_the_change() -> None:
    mentee = utc_slots(availability("Europe/Berlin", "mon 09:00-10:00"), START)
    mentor = utc_slots(availability("UTC", "mon 08:00-09:00"), START)
    assert weekly_overlap_hours(mentee, mentor) == pytest.approx(2 / 4)


def test_leave_removes_the_days_it_covers() -> None:
    mentor = utc_slots(availability("UTC", "mon 08:00-09:00"), START)
    on_leave = utc_slots(
        availability("Europe/Berlin", "mon 09:00-10:00", leave=("2027-03-22", "2027-03-26")),
        START,
    )
    assert utc_hours_on(on_leave, 7) == []
    assert weekly_overlap_hours(on_leave, mentor) == pytest.approx(1 / 4)


def test_a_window_crossing_utc_midnight_and_one_ending_at_24_00() -> None:
    tokyo = utc_slots(availability("Asia/Tokyo", "tue 08:00-10:00"), START)
    assert tokyo.shape == (HORIZON_SLOTS,)
    assert utc_hours_on(tokyo, 0) == [23.0, 23.5]  # Monday evening in UTC
    assert utc_hours_on(tokyo, 1) == [0.0, 0.5]
    assert np.count_nonzero(tokyo) == 16
    late = utc_slots(availability("UTC", "sun 23:00-24:00"), START)
    assert utc_hours_on(late, 6) == [23.0, 23.5]
    assert np.count_nonzero(late) == 8
