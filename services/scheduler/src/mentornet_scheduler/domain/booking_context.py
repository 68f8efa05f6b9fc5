"""One pair's booking context (domain/planning.py plans on it): each person's windows
on their real dates (timewindows), the times both share less their other sessions and
the buffer, the mentor's hours left, and why a start chosen by hand cannot be booked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from mentornet_contracts.events.common import Availability

from .budget import HourBudget
from .series import Series
from .windows import Interval, free_intervals, inside, intersect, subtract

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
            free_intervals(preferred(p.availability), self.not_before, end)
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
                return f"outside the {role}'s availability ({windows_text(person.availability)})"
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


def preferred(availability: Availability) -> Availability:
    return availability.model_copy(
        update={"weekly": tuple(w for w in availability.weekly if w.preferred)}
    )


def windows_text(availability: Availability) -> str:
    if not availability.weekly:
        return f"none given, {availability.timezone}"
    shown = ", ".join(f"{w.weekday} {w.start}-{w.end}" for w in availability.weekly[:4])
    more = "" if len(availability.weekly) <= 4 else f" and {len(availability.weekly) - 4} more"
    return f"{shown}{more} {availability.timezone}"
