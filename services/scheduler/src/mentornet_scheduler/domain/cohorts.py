"""A cohort's recurring weekly slot: one mentor, a group of mentees across time zones.

Every start the mentor has free in the first two weeks is a candidate; it recurs at
the same wall-clock time in the mentor's zone. The slot chosen is the one with the
most member-dates attendable over all its occurrences (so daylight-saving changes
and leave count on every date), the earliest among equals. On a date whose exact
time does not fit the mentor, the group meets at the nearest start within the
cadence's tolerance that fits the mentor and suits the most members; a date with no
such start is a gap, unplaced for everyone with its reason. Each member is seated
only on the dates whose actual start lies inside their windows on that date; their
other dates are unplaced on their match, with the reason and in their local time
(domain/seating.py).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.sessions import BookingFailure

from .budget import HourBudget
from .planning import GRID, Plan, Planned
from .reasons import Attendee, has_start, local, windows_why
from .seating import Member, seating, unable_reason
from .series import Series
from .state import Cohort
from .unplaced import Unplaced
from .views import Viewer
from .windows import WEEKDAYS, Interval, free_intervals, inside, subtract, wall_clock, zone

SEARCH = timedelta(weeks=2)
_LAST = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class CohortPlan:
    plan: Plan
    weekday: str = ""
    local_start: str = ""
    attending: tuple[str, ...] = ()
    """Members seated on at least one date."""
    unable: tuple[tuple[str, str], ...] = ()
    """Members seated on none, and why."""
    gaps: tuple[Unplaced, ...] = ()
    """Dates with no group session (the mentor side), unplaced for every member."""


@dataclass
class _Slot:
    """What choosing and placing a cohort's dates reads."""

    mentor: Availability
    mentor_open: list[Interval]
    frees: dict[str, list[Interval]]
    series: Series
    budget: HourBudget
    buffer: timedelta

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.series.session_minutes)

    def hosts(self, start: datetime) -> bool:
        return inside(self.mentor_open, start, start + self.length)

    def present(self, start: datetime) -> int:
        end = start + self.length
        return sum(_covers(free, start, end) for free in self.frees.values())

    def fits(self, start: datetime, after: datetime) -> bool:
        minutes = self.series.session_minutes
        return start >= after and self.hosts(start) and self.budget.fits(start, minutes)


def choose_slot(
    mentor: Availability,
    mentor_busy: Sequence[Interval],
    members: Sequence[Member],
    series: Series,
    budget: HourBudget,
    not_before: datetime,
    buffer: timedelta,
) -> CohortPlan:
    horizon = not_before + timedelta(weeks=series.duration_weeks + 4)
    padded = [(b - buffer, f + buffer) for b, f in mentor_busy]
    slot = _Slot(
        mentor,
        subtract(free_intervals(mentor, not_before, horizon), padded),
        {m.mentee_id: _free(m.availability, not_before, horizon) for m in members},
        series,
        budget,
        buffer,
    )
    best: tuple[int, datetime, list[datetime]] | None = None
    for start in _candidates(slot.mentor_open, not_before, slot.length):
        occurrences = _occurrences(start, mentor.timezone, series)
        score = sum(slot.present(o) for o in occurrences if slot.hosts(o))
        if best is None or score > best[0]:
            best = (score, start, occurrences)
    if best is None:
        busy = "the mentor has no free time"
        return CohortPlan(
            Plan(failure=BookingFailure.FULLY_BOOKED, detail=busy),
            unable=tuple((m.mentee_id, busy) for m in members),
        )
    score, start, occurrences = best
    length = slot.length
    if not score:
        reasons = tuple(
            (m.mentee_id, unable_reason(m.availability, occurrences, length)) for m in members
        )
        detail = "no time the mentor has free suits any member of the cohort"
        return CohortPlan(Plan(failure=BookingFailure.NO_OVERLAP, detail=detail), unable=reasons)
    sessions, gaps = _placed(slot, occurrences, not_before)
    return _outcome(slot, members, start, sessions, gaps)


def _outcome(
    slot: _Slot,
    members: Sequence[Member],
    start: datetime,
    sessions: tuple[Planned, ...],
    gaps: tuple[Unplaced, ...],
) -> CohortPlan:
    attending: list[str] = []
    unable: list[tuple[str, str]] = []
    starts = [s.starts_at for s in sessions]
    for member in members:
        seated, _ = seating(member, sessions, gaps)
        if seated:
            attending.append(member.mentee_id)
        else:
            unable.append(
                (member.mentee_id, unable_reason(member.availability, starts, slot.length))
            )
    plan = Plan(sessions)
    if gaps:
        detail = (
            f"{len(sessions)} of {len(sessions) + len(gaps)} group sessions fit the mentor's "
            f"hours and calendar; {gaps[0].detail}"
        )
        plan = Plan(sessions, gaps[0].reason, detail, gaps)
    at = start.astimezone(zone(slot.mentor.timezone))
    return CohortPlan(
        plan,
        WEEKDAYS[at.weekday()],
        at.strftime("%H:%M"),
        tuple(attending),
        tuple(unable),
        gaps,
    )


def _placed(
    slot: _Slot, occurrences: Sequence[datetime], not_before: datetime
) -> tuple[tuple[Planned, ...], tuple[Unplaced, ...]]:
    """Each date at its exact time when that fits the mentor, else at the nearest start
    within the tolerance that fits the mentor and suits the most members."""
    series = slot.series
    chosen: list[Planned] = []
    gaps: list[Unplaced] = []
    for index, target in enumerate(occurrences):
        after = chosen[-1].starts_at + slot.length + slot.buffer if chosen else not_before
        start = target if slot.fits(target, after) else _nearby(slot, target, after)
        if start is None:
            gaps.append(_gap(slot, index + 1, target, after, not_before))
            continue
        slot.budget.hold(start, series.session_minutes)
        chosen.append(Planned(index + 1, start, series.session_minutes, series.session_type(index)))
    return tuple(chosen), tuple(gaps)


def _nearby(slot: _Slot, target: datetime, after: datetime) -> datetime | None:
    tolerance = slot.series.tolerance
    begin = _ceil(max(target - tolerance, after), GRID)
    options: list[datetime] = []
    start = begin
    while start <= target + tolerance:
        if slot.fits(start, after):
            options.append(start)
        start += GRID
    return max(
        options,
        key=lambda s: (slot.present(s), -abs(s - target), -s.timestamp()),
        default=None,
    )


def _gap(
    slot: _Slot, sequence: int, target: datetime, after: datetime, not_before: datetime
) -> Unplaced:
    """Why the mentor cannot host a date: their windows or leave, their hours, or
    their other sessions."""
    tolerance, length = slot.series.tolerance, slot.length
    mentor = Attendee("", "the mentor", slot.mentor)
    why = windows_why((mentor,), target, tolerance, length, not_before)
    if why is not None:
        return Unplaced(sequence, target, why.reason, why.detail)
    begin = max(target - tolerance, after)
    if has_start(slot.mentor_open, begin, target + tolerance, length):
        return Unplaced(sequence, target, BookingFailure.HOUR_CAP, slot.budget.describe(target))
    return Unplaced(
        sequence,
        target,
        BookingFailure.FULLY_BOOKED,
        f"the mentor's free time near {local(target, slot.mentor.timezone)} is taken by "
        "other sessions or the buffer between them",
    )


def _covers(free: Sequence[Interval], start: datetime, end: datetime) -> bool:
    """`inside` for a sorted, merged list, by bisection (a cohort scores many starts)."""
    at = bisect_right(free, (start, _LAST)) - 1
    return at >= 0 and free[at][0] <= start and end <= free[at][1]


def _free(availability: Availability | None, start: datetime, end: datetime) -> list[Interval]:
    return free_intervals(availability, start, end) if availability is not None else []


def _candidates(
    open_: Sequence[Interval], not_before: datetime, length: timedelta
) -> list[datetime]:
    """Grid starts (every 30 minutes) the mentor has free in the first two weeks."""
    found: list[datetime] = []
    until = not_before + SEARCH
    for begin, finish in open_:
        if begin >= until:
            break
        start = _ceil(begin, 2 * GRID)
        while start + length <= finish and start < until:
            found.append(start)
            start += 2 * GRID
    return found


def _ceil(moment: datetime, step: timedelta) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=moment.tzinfo)
    return epoch + -(-(moment - epoch) // step) * step


def _occurrences(start: datetime, timezone: str, series: Series) -> list[datetime]:
    tz = zone(timezone)
    local_start = start.astimezone(tz)
    hhmm = local_start.strftime("%H:%M")
    return [
        wall_clock(local_start.date() + k * series.interval, hhmm, tz) for k in range(series.count)
    ]


def as_seen_by(cohort: Cohort, viewer: Viewer) -> dict[str, object]:
    """The cohort's weekly slot and sessions. Its mentor and the program's team also see
    who attends and who cannot and why; a member sees only their own place."""
    public: dict[str, object] = {
        "cohort_id": cohort["cohort_id"],
        "program_id": cohort["program_id"],
        "mentor_id": cohort["mentor_id"],
        "status": cohort["status"],
        "slot": cohort.get("slot"),
        "sessions": cohort.get("sessions"),
    }
    me = viewer.one_of(*cohort["members"].values())
    if me is not None and me != cohort["mentor_id"]:
        attending = me in cohort.get("attending", [])
        return {**public, "attending": attending, "reason": cohort.get("unable", {}).get(me)}
    return {
        **public,
        "members": cohort["members"],
        "attending": cohort.get("attending"),
        "unable": cohort.get("unable"),
        "detail": cohort.get("detail"),
    }
