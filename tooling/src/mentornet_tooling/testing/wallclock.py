"""A test oracle for availability, independent of `mentornet_contracts.timewindows`:
is one minute inside a person's windows, read off their own wall clock? Property tests
of the contracts, the scheduler and the matcher judge the code under test with it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from mentornet_contracts.events.common import Availability

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def minute_of(hhmm: str) -> int:
    """ "09:30" -> 570; "24:00" -> 1440."""
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


@lru_cache(maxsize=256)
def away(availability: Availability) -> frozenset[date]:
    """The local dates a dated exception covers."""
    return frozenset(
        leave.start_date + timedelta(days=k)
        for leave in availability.exceptions
        for k in range((leave.end_date - leave.start_date).days + 1)
    )


def free_by_wall_clock(availability: Availability, moment: datetime) -> bool:
    """The clock's reading at this minute (its local date, weekday and time) lies within
    [start, end) of one of that weekday's windows, and the date is not on leave. So a
    minute the clock shows twice (fall back) counts on each pass, and the clock never
    shows a skipped minute (spring forward)."""
    local = moment.astimezone(ZoneInfo(availability.timezone))
    if availability.exceptions and local.date() in away(availability):
        return False
    now = local.hour * 60 + local.minute
    weekday = WEEKDAYS[local.weekday()]
    return any(
        w.weekday == weekday and minute_of(w.start) <= now < minute_of(w.end)
        for w in availability.weekly
    )
