"""Where the rest of a series goes when a paused match resumes (domain/pauses.py).

- Live 1:1: on the series' own rhythm (its first session's weekday and wall-clock time
  in the mentor's zone, every interval), from the first such date after the booking
  lead; when that time no longer fits, from the earliest start that does. Each
  session takes the next date, at the nearest start inside both windows within the
  cadence's tolerance (planning.nearest, as a first booking does); a date where
  nothing fits is unplaced with planning.diagnose's reason.
- Check-ins: one every interval from the resume plus the lead; none is ever unplaced.
- A cohort member: a seat again in each group session still ahead that the pause
  took from them; group sessions that passed meanwhile are gone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from mentornet_contracts.events.sessions import BookingFailure, SessionBookingFailed

from . import unplaced
from .planning import Booking, diagnose, nearest, open_starts
from .series import Series
from .state import Match, Session
from .windows import wall_clock, zone


@dataclass(frozen=True)
class Placement:
    """One session of the rest of the series: where it goes (None: nowhere fits)."""

    session: Session
    target: datetime
    start: datetime | None
    why: unplaced.Unplaced | None = None
    """Why nowhere fits (planning.diagnose), when `start` is None for that reason."""


def _grid(
    anchor: datetime, timezone: str, series: Series, not_before: datetime, count: int
) -> list[datetime]:
    """`count` dates on the series' own rhythm from `not_before`."""
    tz = zone(timezone)
    local = anchor.astimezone(tz)
    hhmm = local.strftime("%H:%M")
    first = max(0, (not_before - anchor) // series.interval)
    dates = (wall_clock(local.date() + k * series.interval, hhmm, tz) for k in range(first, 10**4))
    found: list[datetime] = []
    for date in dates:
        if date >= not_before:
            found.append(date)
        if len(found) >= count:
            return found
    return found


def live(booking: Booking, rest: Sequence[Session], anchor: datetime) -> list[Placement]:
    """The rest of a live 1:1 series from the booking's `not_before`."""
    series, tol = booking.series, booking.series.tolerance
    timezone = booking.mentor.availability.timezone
    grid = _grid(anchor, timezone, series, booking.not_before, len(rest))
    if grid and nearest(booking, grid[0], tol, booking.not_before) is None:
        fresh = next(iter(open_starts(booking, 1)), None)
        grid = _grid(fresh, timezone, series, booking.not_before, len(rest)) if fresh else grid
    placements: list[Placement] = []
    after = booking.not_before
    for session, target in zip(rest, grid, strict=False):
        start = nearest(booking, target, tol, after)
        if start is None:
            why = diagnose(booking, session["sequence"], target, after)
            placements.append(Placement(session, target, None, why))
            continue
        booking.budget.hold(start, series.session_minutes)
        after = start + booking.length + booking.buffer
        placements.append(Placement(session, target, start))
    return placements


def checkins(rest: Sequence[Session], series: Series, kickoff: datetime) -> list[Placement]:
    """The rest of an async series: a check-in every interval from the kickoff."""
    return [
        Placement(s, kickoff + i * series.interval, kickoff + i * series.interval)
        for i, s in enumerate(rest)
    ]


def seats(rest: Sequence[Session], group: Mapping[int, datetime], now: datetime) -> list[Placement]:
    """A cohort member's seats: each at its group session, when that is still ahead."""
    placements: list[Placement] = []
    for session in rest:
        start = group.get(session["sequence"], datetime.fromisoformat(session["starts_at"]))
        placements.append(Placement(session, start, start if start > now else None))
    return placements


def dates(placements: Sequence[Placement]) -> list[unplaced.Unplaced]:
    """The dates left unplaced (a cohort seat whose group session passed is not one)."""
    return [p.why for p in placements if p.start is None and p.why is not None]


def failed(match: Match, placements: Sequence[Placement]) -> SessionBookingFailed | None:
    """What coordinators hear when some of the rest of the series found no time: the
    match (as it is after the resume, these dates kept) with every date it keeps
    unplaced and the whole series' counts (unplaced.report)."""
    missing = dates(placements)
    if not missing:
        return None
    return unplaced.report(
        match,
        missing[0].reason,
        f"{len(missing)} of {len(placements)} sessions found no time after the pause",
    )


def nowhere(rest: Sequence[Session], why: str) -> list[Placement]:
    placements: list[Placement] = []
    for s in rest:
        target = datetime.fromisoformat(s["starts_at"])
        missed = unplaced.Unplaced(s["sequence"], target, BookingFailure.NO_OVERLAP, why)
        placements.append(Placement(s, target, None, missed))
    return placements
