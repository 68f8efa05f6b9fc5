"""Planning a match's series of sessions inside both people's availability (the pair's
booking context is domain/booking_context.py, why a date finds no time
domain/diagnosis.py; both are re-exported here).

The kickoff is the earliest start, after a lead time, that lies inside both people's
windows, keeps a buffer from their other sessions and fits the mentor's monthly
hours. Later sessions recur at the kickoff's wall-clock time *in the mentor's zone*
(so the mentor's 18:00 stays 18:00 across daylight-saving changes and the mentee's
local time moves as their calendar says), every interval the cadence asks for (on a
night the mentor's clock skips that time, the instant of the jump: timewindows.wall_clock);
when that exact time does not fit, the nearest start that does, within a tolerance.
Every start is checked against each person's windows on its actual date, so a moved
target never puts a session outside anyone's window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from mentornet_contracts.events.sessions import BookingFailure, SessionType

from .booking_context import GRID, MAX_AHEAD, Booking, Person
from .diagnosis import diagnose, no_overlap
from .unplaced import Unplaced
from .windows import wall_clock, zone

__all__ = [
    "GRID",
    "MAX_AHEAD",
    "Booking",
    "Person",
    "Plan",
    "Planned",
    "diagnose",
    "nearest",
    "nearest_start",
    "no_overlap",
    "open_starts",
    "plan_series",
]


@dataclass(frozen=True)
class Planned:
    sequence: int
    starts_at: datetime
    minutes: int
    session_type: SessionType


@dataclass(frozen=True)
class Plan:
    sessions: tuple[Planned, ...] = ()
    failure: BookingFailure | None = None
    detail: str = ""
    unplaced: tuple[Unplaced, ...] = ()
    """Each planned date not booked, with its own reason (sequences are the dates'
    places in the series, so booked and unplaced together number 1 to the count)."""


def plan_series(booking: Booking) -> Plan:
    length = booking.length
    if not any(f - b >= length for b, f in booking.both):
        return _nothing(booking, BookingFailure.NO_OVERLAP, no_overlap(booking))
    horizon = booking.not_before + timedelta(weeks=booking.series.duration_weeks + 4)
    candidates = booking.starts(booking.not_before, horizon)
    kickoff = _kickoff(booking, [s for s in candidates if booking.fits(s)])
    if kickoff is None:
        if candidates:
            return _nothing(
                booking, BookingFailure.HOUR_CAP, booking.budget.describe(candidates[0])
            )
        return _nothing(
            booking,
            BookingFailure.FULLY_BOOKED,
            "every shared time is taken by other sessions, leave or the buffer",
        )
    return _recurring(booking, kickoff)


def _nothing(booking: Booking, reason: BookingFailure, detail: str) -> Plan:
    """Nothing booked: the series' reason, and each date (on the cadence from the
    earliest start) with its own."""
    series = booking.series
    dates = tuple(
        diagnose(booking, i + 1, booking.not_before + i * series.interval, booking.not_before)
        for i in range(series.count)
    )
    return Plan(failure=reason, detail=detail, unplaced=dates)


def _kickoff(booking: Booking, fitting: Sequence[datetime]) -> datetime | None:
    """Within one interval of the first start that fits: a start inside both people's
    preferred windows, else one person's, else the earliest."""
    if not fitting:
        return None
    soon = [s for s in fitting if s < fitting[0] + booking.series.interval]
    return max(soon, key=lambda s: (booking.liking(s), -s.timestamp()))


def _recurring(booking: Booking, kickoff: datetime) -> Plan:
    series, minutes = booking.series, booking.series.session_minutes
    tz = zone(booking.mentor.availability.timezone)
    anchor = kickoff.astimezone(tz)
    anchor_time = anchor.strftime("%H:%M")
    tolerance = series.tolerance
    chosen: list[Planned] = []
    skipped: list[Unplaced] = []
    for index in range(series.count):
        target = wall_clock(anchor.date() + index * series.interval, anchor_time, tz)
        after = (
            chosen[-1].starts_at + booking.length + booking.buffer if chosen else booking.not_before
        )
        start = nearest(booking, target, tolerance, after)
        if start is None:
            skipped.append(diagnose(booking, index + 1, target, after))
            continue
        booking.budget.hold(start, minutes)
        chosen.append(Planned(index + 1, start, minutes, series.session_type(index)))
    if not skipped:
        return Plan(tuple(chosen))
    first = skipped[0]
    detail = f"{len(chosen)} of {series.count} sessions booked; {first.detail}"
    return Plan(tuple(chosen), first.reason, detail, tuple(skipped))


def nearest(
    booking: Booking, target: datetime, tolerance: timedelta, after: datetime
) -> datetime | None:
    """The start that fits closest to `target` within `tolerance`, not before `after`
    (`target` itself when it fits; the earlier of two equally near)."""
    if booking.fits(target) and target >= after:
        return target
    options = [
        s
        for s in booking.starts(max(target - tolerance, after), target + tolerance)
        if booking.fits(s)
    ]
    return min(options, key=lambda s: (abs(s - target), s), default=None)


def nearest_start(booking: Booking, target: datetime, tolerance: timedelta) -> datetime | None:
    """The open start closest to `target` within `tolerance` (a session to move)."""
    return nearest(booking, target, tolerance, booking.not_before)


def open_starts(booking: Booking, limit: int) -> Sequence[datetime]:
    """The first `limit` starts a coordinator could book by hand."""
    horizon = booking.not_before + timedelta(weeks=booking.series.duration_weeks + 4)
    return [s for s in booking.starts(booking.not_before, horizon) if booking.fits(s)][:limit]
