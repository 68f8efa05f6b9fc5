"""What a person's availability means in time: UTC intervals on real calendar days.

One implementation for every service that reads `Availability` (the matcher's overlap
signal, the scheduler's slot finding), at minute resolution. Weekly windows are
wall-clock times in the person's IANA zone, so each local day is turned into instants
with that day's offset: a 09:00 window in Berlin is 08:00 UTC in winter and 07:00 UTC
in summer, and a +05:45 or -03:30 zone keeps its quarter and half hours. Dated
exceptions (leave, busy weeks) remove whole local days. Pure functions, no I/O.

The rule, exactly: a window [start, end) on a local day covers the instants whose
wall-clock time, on that local date, lies within [start, end) (24:00 is the day's
end). So on a clock-change night:
- a start or end the clock skips (spring forward) maps to the instant of the jump: a
  window ending at 02:30 on 14 Mar 2027 in America/New_York ends at 07:00Z, when the
  clock jumps from 02:00 to 03:00, not at 07:30Z (03:30 on the clock);
- a repeated hour (fall back) is covered on both passes wherever the clock then reads
  a time inside the window: 01:00-01:30 in New York on 7 Nov 2027 is 05:00-05:30Z and
  06:00-06:30Z; 01:30-02:30 is 05:30-06:00Z and 06:30-07:30Z (the second pass's
  01:00-01:30 is outside it on the clock, so it is not covered).
A minute is inside the person's window exactly when their clock, at that minute,
shows a time of one of that day's windows.
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
    """A wall-clock time on a local day as a UTC instant: the first instant at which
    the clock shows that time of that day or a later one. So a time shown twice (fall
    back) is its first showing, a time the clock skips (spring forward) is the instant
    of the jump (02:30 on 14 Mar 2027 in New York is 07:00Z, when 02:00 becomes 03:00),
    and 24:00 is the first instant of the next local day."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    extra_days, hours = divmod(hours, 24)
    naive = datetime.combine(day + timedelta(days=extra_days), time(hours, minutes))
    first = naive.replace(tzinfo=tz).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first
    earlier = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    return _jump(tz, min(earlier, first), max(earlier, first))


def _jump(tz: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The first whole second in (before, after] at the offset `after` has (a change
    of offset lies between them; both are whole seconds, as every change is)."""
    offset = after.astimezone(tz).utcoffset()
    low, high = 0, int((after - before).total_seconds())
    while high - low > 1:
        middle = (low + high) // 2
        if (before + timedelta(seconds=middle)).astimezone(tz).utcoffset() == offset:
            high = middle
        else:
            low = middle
    return before + timedelta(seconds=high)


@lru_cache(maxsize=8192)
def _stretches(tz: ZoneInfo, day: date) -> tuple[tuple[datetime, datetime, timedelta], ...]:
    """The UTC stretches, each at one offset, that can show a wall-clock time of
    `day` (every offset lies within -15 h and +15 h; no zone changes its offset twice
    within three hours, so probing every three hours finds every change)."""
    lo = datetime.combine(day, time(0), tzinfo=UTC) - timedelta(hours=15)
    hi = datetime.combine(day, time(0), tzinfo=UTC) + timedelta(hours=39)
    found: list[tuple[datetime, datetime, timedelta]] = []
    begin, offset = lo, lo.astimezone(tz).utcoffset()
    probe = lo
    while probe < hi:
        nxt = min(probe + timedelta(hours=3), hi)
        later = nxt.astimezone(tz).utcoffset()
        if later != offset:
            change = _jump(tz, probe, nxt)
            assert offset is not None
            found.append((begin, change, offset))
            begin, offset = change, change.astimezone(tz).utcoffset()
        probe = nxt
    assert offset is not None
    found.append((begin, hi, offset))
    return tuple(found)


def covered(day: date, start: str, end: str, tz: ZoneInfo) -> list[Interval]:
    """The instants whose wall-clock time on `day` lies within [start, end), in UTC
    (two stretches when a repeated hour is inside, none when the clock skips it all)."""
    first, last = (_as_minutes(day, hhmm) for hhmm in (start, end))
    found: list[Interval] = []
    for begin, finish, offset in _stretches(tz, day):
        low = max(begin, (first - offset).replace(tzinfo=UTC))
        high = min(finish, (last - offset).replace(tzinfo=UTC))
        if low < high:
            found.append((low, high))
    return merge(found)


def _as_minutes(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(0)) + timedelta(hours=hours, minutes=minutes)


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
                    found.extend(covered(day, window.start, window.end, tz))
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
