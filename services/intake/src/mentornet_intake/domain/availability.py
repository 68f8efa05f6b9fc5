"""Availability rules: a real IANA zone, windows that end after they start and do not
overlap on the same weekday, and dated exceptions that end on or after they start."""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from mentornet_contracts.events.common import Availability, WeeklyWindow

MINUTES_PER_DAY = 24 * 60


class AvailabilityError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


@cache
def iana_zones() -> frozenset[str]:
    """The zone names the system knows. Read once: `available_timezones` walks the zone
    directory on every call (20 ms, which made it most of a registration's cost)."""
    return frozenset(available_timezones())


def check_timezone(name: str) -> None:
    if name not in iana_zones():
        raise AvailabilityError("timezone", f"{name!r} is not an IANA time zone name")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise AvailabilityError("timezone", f"{name!r} has no zone data") from None


def check_windows(windows: tuple[WeeklyWindow, ...]) -> None:
    for index, window in enumerate(windows):
        if _minutes(window.end) > MINUTES_PER_DAY:
            raise AvailabilityError(f"weekly.{index}.end", f"{window.end} is past 24:00")
        if _minutes(window.end) <= _minutes(window.start):
            raise AvailabilityError(
                f"weekly.{index}.end", f"{window.end} is not after {window.start}"
            )
    by_day: dict[str, list[tuple[int, int, int]]] = {}
    for index, window in enumerate(windows):
        span = (_minutes(window.start), _minutes(window.end), index)
        by_day.setdefault(window.weekday, []).append(span)
    for day, spans in by_day.items():
        for (_, end, first), (start, _, second) in pairwise(sorted(spans)):
            if start < end:
                raise AvailabilityError(f"weekly.{second}", f"overlaps window {first} on {day}")


def check(availability: Availability) -> Availability:
    """Raise AvailabilityError naming the field, or return the availability unchanged."""
    check_timezone(availability.timezone)
    check_windows(availability.weekly)
    for index, exception in enumerate(availability.exceptions):
        if exception.end_date < exception.start_date:
            raise AvailabilityError(
                f"exceptions.{index}.end_date",
                f"{exception.end_date} is before {exception.start_date}",
            )
    return availability
