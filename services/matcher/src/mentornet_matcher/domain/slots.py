"""Availability as UTC half-hour slots over the matching horizon.

People give weekly windows in their own time zone. Two people's overlap is counted
on real calendar days, in UTC, over the next HORIZON_WEEKS weeks: a window at 09:00
in Berlin is 08:00 UTC in winter and 07:00 UTC in summer, so a daylight-saving change
inside the horizon moves it, and days inside a dated exception (leave, a busy week)
count as unavailable.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from mentornet_contracts.events.common import Availability

HORIZON_WEEKS = 4
SLOT_MINUTES = 30
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
HORIZON_SLOTS = HORIZON_WEEKS * 7 * SLOTS_PER_DAY
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Slots = npt.NDArray[np.bool_]


def horizon_start(today: date) -> datetime:
    """The horizon starts at UTC midnight of the day the match is computed."""
    return datetime.combine(today, time(), tzinfo=UTC)


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local(day: date, hhmm: str, zone: ZoneInfo) -> datetime:
    """A wall-clock time on a local day; 24:00 is the next day's midnight."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    extra_days, hours = divmod(hours, 24)
    return datetime.combine(day + timedelta(days=extra_days), time(hours, minutes), tzinfo=zone)


def _slot_range(start: datetime, begin: datetime, end: datetime) -> slice:
    """Slots wholly inside [begin, end), clipped to the horizon."""
    first = -(-int((begin - start).total_seconds()) // (SLOT_MINUTES * 60))
    last = int((end - start).total_seconds()) // (SLOT_MINUTES * 60)
    return slice(max(first, 0), max(min(last, HORIZON_SLOTS), 0))


@lru_cache(maxsize=65536)
def _window_slots(zone_name: str, weekday: str, begin: str, end: str, start: datetime) -> Slots:
    """One weekly window's slots over the horizon. Cached: people share windows."""
    zone = _zone(zone_name)
    slots = np.zeros(HORIZON_SLOTS, dtype=np.bool_)
    first_local_day = start.astimezone(zone).date() - timedelta(days=1)
    for offset in range(HORIZON_WEEKS * 7 + 2):
        day = first_local_day + timedelta(days=offset)
        if WEEKDAYS[day.weekday()] == weekday:
            slots[
                _slot_range(
                    start,
                    _local(day, begin, zone).astimezone(UTC),
                    _local(day, end, zone).astimezone(UTC),
                )
            ] = True
    slots.setflags(write=False)
    return slots


def utc_slots(availability: Availability | None, start: datetime) -> Slots:
    """Which half-hour UTC slots of the horizon the person is available in."""
    slots = np.zeros(HORIZON_SLOTS, dtype=np.bool_)
    if availability is None:
        return slots
    for window in availability.weekly:
        slots |= _window_slots(
            availability.timezone, window.weekday, window.start, window.end, start
        )
    zone = _zone(availability.timezone)
    for leave in availability.exceptions:
        begin = datetime.combine(leave.start_date, time(), tzinfo=zone).astimezone(UTC)
        end = datetime.combine(leave.end_date + timedelta(days=1), time(), tzinfo=zone)
        slots[_slot_range(start, begin, end.astimezone(UTC))] = False
    return slots


def weekly_overlap_hours(a: Slots, b: Slots) -> float:
    """Shared hours per week, averaged over the horizon."""
    shared = int(np.count_nonzero(a & b))
    return shared * SLOT_MINUTES / 60 / HORIZON_WEEKS


def offset_hours(zone: str | None, at: datetime) -> float:
    """The zone's UTC offset at a moment, in hours; NaN when unknown."""
    if zone is None:
        return float("nan")
    offset = at.astimezone(_zone(zone)).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0
