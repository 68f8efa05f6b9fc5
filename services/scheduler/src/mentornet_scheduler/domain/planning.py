"""Booking a match's series of sessions inside both people's availability.

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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.sessions import BookingFailure, SessionType

from .budget import HourBudget
from .reasons import Attendee, local, windows_why
from .series import Series
from .unplaced import Unplaced
from .windows import Interval, free_intervals, inside, intersect, subtract, wall_clock, zone

GRID = timedelta(minutes=15)
"""Starts are on a 15-minute grid in UTC, which every zone's offset is a multiple of."""
MAX_AHEAD = timedelta(days=730)
"""The furthest ahead a session can be booked by hand."""


@dataclass(frozen=True)
class Person:
    participant_id: str
    availability: Availability
    busy: tuple[Interval, ...] = ()
    """Their other sessions (any match, either role)."""


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


@dataclass
class Booking:
    """One pair's booking context: who, what the program asks, the hours left."""

    mentor: Person
    mentee: Person
    series: Series
    budget: HourBudget
    not_before: datetime
    buffer: timedelta = timedelta(minutes=15)
    mentor_free: list[Interval] = field(default_factory=list)
    mentee_free: list[Interval] = field(default_factory=list)
    liked: list[list[Interval]] = field(default_factory=list)
    """Each person's preferred windows."""
    both: list[Interval] = field(default_factory=list)
    open: list[Interval] = field(default_factory=list)

    def __post_init__(self) -> None:
        end = self.not_before + timedelta(weeks=self.series.duration_weeks + 4)
        self.mentor_free = free_intervals(self.mentor.availability, self.not_before, end)
        self.mentee_free = free_intervals(self.mentee.availability, self.not_before, end)
        self.both = intersect(self.mentor_free, self.mentee_free)
        self.liked = [
            free_intervals(_preferred(p.availability), self.not_before, end)
            for p in (self.mentor, self.mentee)
        ]
        pad = self.buffer
        busy = [(b - pad, f + pad) for b, f in (*self.mentor.busy, *self.mentee.busy)]
        self.open = subtract(self.both, busy)

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.series.session_minutes)

    def starts(self, begin: datetime, finish: datetime) -> list[datetime]:
        """Every grid start in [begin, finish] whose whole session is open."""
        found: list[datetime] = []
        for b, f in self.open:
            if f <= begin or b > finish + self.length:
                continue
            start = _ceil(max(b, begin))
            while start + self.length <= f and start <= finish:
                found.append(start)
                start += GRID
        return found

    def liking(self, start: datetime) -> int:
        """How many of the two would rather meet at this start (preferred windows)."""
        return sum(inside(liked, start, start + self.length) for liked in self.liked)

    def fits(self, start: datetime) -> bool:
        return inside(self.open, start, start + self.length) and self.budget.fits(
            start, self.series.session_minutes
        )

    def refusal(self, start: datetime, minutes: int) -> str | None:
        """Why a start chosen by hand cannot be booked, or None when it can."""
        if start < self.not_before:
            return f"{start.isoformat()} is in the past"
        if start > self.not_before + MAX_AHEAD:
            return f"{start.isoformat()} is more than {MAX_AHEAD.days} days ahead"
        finish = start + timedelta(minutes=minutes)
        for role, person, free in (
            ("mentor", self.mentor, self.mentor_free),
            ("mentee", self.mentee, self.mentee_free),
        ):
            if not inside(free, start, finish):
                return f"outside the {role}'s availability ({_windows(person.availability)})"
            pad = self.buffer
            if any(b - pad < finish and start < f + pad for b, f in person.busy):
                return f"clashes with another session of the {role} (or its {pad} buffer)"
        if not self.budget.fits(start, minutes):
            return f"over the monthly hour cap: {self.budget.describe(start)}"
        return None


def _ceil(moment: datetime) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    steps = -(-(moment - epoch) // GRID)
    return epoch + steps * GRID


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


def _preferred(availability: Availability) -> Availability:
    return availability.model_copy(
        update={"weekly": tuple(w for w in availability.weekly if w.preferred)}
    )


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


def diagnose(booking: Booking, sequence: int, target: datetime, after: datetime) -> Unplaced:
    """Why nothing fits within the tolerance around `target` (and not before `after`):
    the windows (no_overlap, exception), else the mentor's hours (hour_cap), else other
    sessions and the buffer (fully_booked)."""
    tolerance = booking.series.tolerance
    people = (
        Attendee(booking.mentor.participant_id, "the mentor", booking.mentor.availability),
        Attendee(booking.mentee.participant_id, "the mentee", booking.mentee.availability),
    )
    why = windows_why(people, target, tolerance, booking.length, booking.not_before)
    if why is not None:
        return Unplaced(sequence, target, why.reason, why.detail, why.attendee_id)
    open_ = booking.starts(max(target - tolerance, after), target + tolerance)
    if open_:
        return Unplaced(
            sequence, target, BookingFailure.HOUR_CAP, booking.budget.describe(open_[0])
        )
    near = local(target, booking.mentor.availability.timezone)
    return Unplaced(
        sequence,
        target,
        BookingFailure.FULLY_BOOKED,
        f"the shared time near {near} is taken by other sessions or the "
        f"{int(booking.buffer.total_seconds() // 60)}-minute buffer between them",
    )


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


def no_overlap(booking: Booking) -> str:
    return (
        f"no shared time of {booking.series.session_minutes} minutes between the mentor's "
        f"windows ({_windows(booking.mentor.availability)}) and the mentee's "
        f"({_windows(booking.mentee.availability)})"
    )


def _windows(availability: Availability) -> str:
    if not availability.weekly:
        return f"none given, {availability.timezone}"
    shown = ", ".join(f"{w.weekday} {w.start}-{w.end}" for w in availability.weekly[:4])
    more = "" if len(availability.weekly) <= 4 else f" and {len(availability.weekly) - 4} more"
    return f"{shown}{more} {availability.timezone}"


def open_starts(booking: Booking, limit: int) -> Sequence[datetime]:
    """The first `limit` starts a coordinator could book by hand."""
    horizon = booking.not_before + timedelta(weeks=booking.series.duration_weeks + 4)
    return [s for s in booking.starts(booking.not_before, horizon) if booking.fits(s)][:limit]
