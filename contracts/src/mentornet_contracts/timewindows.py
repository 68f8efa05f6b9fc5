"""What a person's availability means in time: UTC intervals on real calendar days.

One implementation for every service that reads `Availability` (the matcher's overlap
signal, the scheduler's slot finding), at minute resolution. Weekly windows are
wall-clock times in the person's IANA zone, so each local day is turned into instants
with that day's offset: a 09:00 window in Berlin is 08:00 UTC in winter and 07:00 UTC
in summer, and a +05:45 or -03:30 zone keeps its quarter and half hours. Dated
exceptions (leave, busy weeks) remove whole local days. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .events.common import Availability

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_ZONE_NAME = 64

Interval = tuple[datetime, datetime]
"""[start, end) in UTC."""


class UnknownZone(ValueError):
    """Not an IANA time zone name."""


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    if not 0 < len(name) <= MAX_ZONE_NAME:
        raise UnknownZone("a time zone name has 1 to 64 characters")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownZone(f"unknown time zone {name[:MAX_ZONE_NAME]!r}") from None


def wall_clock(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    """A wall-clock time on a local day as a UTC instant; 24:00 is the next midnight.
    A time skipped by a spring-forward change resolves the way zoneinfo does (fold 0),
    which lands an hour later on the clock, as calendar apps do."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    extra_days, hours = divmod(hours, 24)
    local = datetime.combine(day + timedelta(days=extra_days), time(hours, minutes), tzinfo=tz)
    return local.astimezone(UTC)


def away_days(availability: Availability) -> set[date]:
    """The local days a dated exception covers."""
    days: set[date] = set()
    for leave in availability.exceptions:
        day = leave.start_date
        while day <= leave.end_date:
            days.add(day)
            day += timedelta(days=1)
    return days


def free_intervals(
    availability: Availability, start: datetime, end: datetime, *, with_exceptions: bool = True
) -> list[Interval]:
    """The person's windows between two instants, in UTC, merged and clipped."""
    tz = zone(availability.timezone)
    away = away_days(availability) if with_exceptions else set()
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    found: list[Interval] = []
    while day <= last:
        if day not in away:
            name = WEEKDAYS[day.weekday()]
            for window in availability.weekly:
                if window.weekday == name:
                    found.append(
                        (wall_clock(day, window.start, tz), wall_clock(day, window.end, tz))
                    )
        day += timedelta(days=1)
    return clip(merge(found), start, end)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for begin, finish in sorted(intervals):
        if finish <= begin:
            continue
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged


def clip(intervals: Sequence[Interval], start: datetime, end: datetime) -> list[Interval]:
    return [(max(b, start), min(f, end)) for b, f in intervals if f > start and b < end]


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Both free: the pairwise overlaps of two sorted, merged lists."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        begin, finish = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if begin < finish:
            out.append((begin, finish))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(free: Sequence[Interval], busy: Iterable[Interval]) -> list[Interval]:
    """Free time minus busy time (both sorted lists; busy need not be merged)."""
    out = list(free)
    for b_start, b_end in merge(busy):
        kept: list[Interval] = []
        for f_start, f_end in out:
            if b_end <= f_start or b_start >= f_end:
                kept.append((f_start, f_end))
                continue
            if f_start < b_start:
                kept.append((f_start, b_start))
            if b_end < f_end:
                kept.append((b_end, f_end))
        out = kept
    return out


def inside(intervals: Sequence[Interval], begin: datetime, finish: datetime) -> bool:
    return any(b <= begin and finish <= f for b, f in intervals)


def minutes(intervals: Iterable[Interval]) -> int:
    """Whole minutes covered (intervals merged first, so overlaps count once)."""
    return sum(int((f - b).total_seconds()) // 60 for b, f in merge(intervals))


def shared_minutes(a: Availability, b: Availability, start: datetime, end: datetime) -> int:
    """Minutes both people are free between two instants, on their real dates."""
    return minutes(intersect(free_intervals(a, start, end), free_intervals(b, start, end)))
