"""Availability as UTC minute intervals over the program's span.

People give weekly windows in their own time zone; what they mean in time is the
contracts' one implementation (mentornet_contracts.timewindows: real dates, every
daylight-saving change, quarter- and half-hour zones, dated exceptions). Here each
person's free time over the span becomes integer minutes from the span's start,
[start, end) rows of an int64 array, so pools of thousands of people can be compared
with arrays (domain/overlap.py) and the shared minutes of a pair equal
`timewindows.shared_minutes` over the same span exactly.

The span starts at UTC midnight of the day the match is computed and runs the
program's `duration_weeks`: a pair must share time for the whole program, not for
its first month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from mentornet_contracts import timewindows
from mentornet_contracts.events.common import Availability, WeeklyWindow

MINUTES_PER_WEEK = 7 * 24 * 60

Intervals = npt.NDArray[np.int64]
"""Shape (k, 2): sorted, disjoint [start, end) minutes from the span's start."""
NO_TIME: Intervals = np.zeros((0, 2), np.int64)
NO_TIME.setflags(write=False)


@dataclass(frozen=True)
class Span:
    """The time a match is computed for: `weeks` from `start` (UTC)."""

    start: datetime
    weeks: int

    @property
    def end(self) -> datetime:
        return self.start + timedelta(weeks=self.weeks)

    @property
    def minutes(self) -> int:
        return self.weeks * MINUTES_PER_WEEK


def horizon_start(today: date) -> datetime:
    """The span starts at UTC midnight of the day the match is computed."""
    return datetime.combine(today, time(), tzinfo=UTC)


def _as_minutes(found: list[timewindows.Interval], start: datetime) -> Intervals:
    if not found:
        return NO_TIME
    seconds = np.asarray(
        [[(b - start).total_seconds(), (f - start).total_seconds()] for b, f in found],
        dtype=np.int64,
    )
    minutes: Intervals = seconds // 60
    minutes.setflags(write=False)
    return minutes


@lru_cache(maxsize=65536)
def _window(zone: str, weekday: str, begin: str, end: str, span: Span) -> Intervals:
    """One weekly window over the span. Cached: people share windows."""
    window = WeeklyWindow.model_validate({"weekday": weekday, "start": begin, "end": end})
    alone = Availability(timezone=zone, weekly=(window,))
    return _as_minutes(timewindows.free_intervals(alone, span.start, span.end), span.start)


def merge(intervals: Intervals) -> Intervals:
    """Overlapping or touching rows merged into one (sorted by start)."""
    if len(intervals) <= 1:
        return intervals
    ordered = intervals[intervals[:, 0].argsort(kind="stable")]
    reach = np.maximum.accumulate(ordered[:, 1])
    new = np.empty(len(ordered), np.bool_)
    new[0] = True
    np.greater(ordered[1:, 0], reach[:-1], out=new[1:])
    if new.all():
        return ordered
    first = new.nonzero()[0]
    last = np.empty_like(first)
    last[:-1] = first[1:] - 1
    last[-1] = len(ordered) - 1
    merged: Intervals = np.empty((len(first), 2), np.int64)
    merged[:, 0] = ordered[first, 0]
    merged[:, 1] = reach[last]
    return merged


Windows = tuple[tuple[str, str, str], ...]


@lru_cache(maxsize=65536)
def _weekly(zone: str, windows: Windows, span: Span) -> Intervals:
    """A set of weekly windows over the span, merged. Cached: people share them."""
    parts = [_window(zone, weekday, begin, end, span) for weekday, begin, end in windows]
    merged = merge(np.concatenate(parts)) if len(parts) > 1 else parts[0]
    merged.setflags(write=False)
    return merged


def free_minutes(availability: Availability | None, span: Span) -> Intervals:
    """The person's free time over the span, as timewindows.free_intervals gives it.
    Without dated exceptions, the union of their windows (each cached); with any, the
    whole availability at once, as the contracts compute it."""
    if availability is None or not availability.weekly:
        return NO_TIME
    if availability.exceptions:
        found = timewindows.free_intervals(availability, span.start, span.end)
        return _as_minutes(found, span.start)
    windows = tuple(sorted({(w.weekday, w.start, w.end) for w in availability.weekly}))
    return _weekly(availability.timezone, windows, span)


def total_minutes(intervals: Intervals) -> int:
    return int((intervals[:, 1] - intervals[:, 0]).sum())


def offset_hours(zone: str | None, at: datetime) -> float:
    """The zone's UTC offset at a moment, in hours; NaN when unknown."""
    if zone is None:
        return float("nan")
    offset = at.astimezone(timewindows.zone(zone)).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0
