"""A cohort's recurring weekly slot: one mentor, a group of mentees across time zones.

Every start the mentor has free in the first two weeks is a candidate; it recurs at
the same wall-clock time in the mentor's zone. The slot chosen is the one that the
most members can attend (checked on the first four occurrences, so daylight-saving
changes and leave count), the earliest among equals. Each member who cannot attend
is told why: outside their windows (shown in their own local time) or on leave.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.sessions import BookingFailure

from .budget import HourBudget
from .planning import GRID, Plan, Planned
from .series import Series
from .state import Cohort
from .views import Viewer
from .windows import WEEKDAYS, Interval, free_intervals, inside, subtract, wall_clock, zone

CHECKED = 4
"""Occurrences each candidate is checked on."""
SEARCH = timedelta(weeks=2)


@dataclass(frozen=True)
class Member:
    mentee_id: str
    availability: Availability | None


@dataclass(frozen=True)
class CohortPlan:
    plan: Plan
    weekday: str = ""
    local_start: str = ""
    attending: tuple[str, ...] = ()
    unable: tuple[tuple[str, str], ...] = ()


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
    mentor_open = subtract(free_intervals(mentor, not_before, horizon), padded)
    frees = {m.mentee_id: _free(m.availability, not_before, horizon) for m in members}
    length = timedelta(minutes=series.session_minutes)
    best: tuple[int, datetime, list[datetime], list[str]] | None = None
    for start in _candidates(mentor_open, not_before, length):
        occurrences = _occurrences(start, mentor.timezone, series)
        checked = occurrences[:CHECKED]
        if not all(inside(mentor_open, o, o + length) for o in checked):
            continue
        attending = [
            m.mentee_id
            for m in members
            if all(inside(frees[m.mentee_id], o, o + length) for o in checked)
        ]
        if best is None or len(attending) > best[0]:
            best = (len(attending), start, occurrences, attending)
    if best is None:
        return CohortPlan(
            Plan(failure=BookingFailure.FULLY_BOOKED, detail="the mentor has no free time")
        )
    _, start, occurrences, attending = best
    if not attending:
        reasons = tuple(
            (m.mentee_id, _why_not(m.availability, occurrences[:CHECKED], length)) for m in members
        )
        detail = "no time the mentor has free suits any member of the cohort"
        return CohortPlan(Plan(failure=BookingFailure.NO_OVERLAP, detail=detail), unable=reasons)
    sessions = _booked(occurrences, mentor_open, length, series, budget)
    local = start.astimezone(zone(mentor.timezone))
    unable = tuple(
        (m.mentee_id, _why_not(m.availability, occurrences[:CHECKED], length))
        for m in members
        if m.mentee_id not in attending
    )
    shortfall = len(occurrences) - len(sessions.sessions)
    plan = (
        sessions
        if not shortfall
        else Plan(
            sessions.sessions,
            BookingFailure.HOUR_CAP,
            f"{len(sessions.sessions)} of {len(occurrences)} group sessions fit the "
            "mentor's hours and calendar",
        )
    )
    return CohortPlan(
        plan, WEEKDAYS[local.weekday()], local.strftime("%H:%M"), tuple(attending), unable
    )


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
    local = start.astimezone(tz)
    hhmm = local.strftime("%H:%M")
    return [wall_clock(local.date() + k * series.interval, hhmm, tz) for k in range(series.count)]


def _booked(
    occurrences: Sequence[datetime],
    mentor_open: Sequence[Interval],
    length: timedelta,
    series: Series,
    budget: HourBudget,
) -> Plan:
    chosen: list[datetime] = []
    for start in occurrences:
        if inside(mentor_open, start, start + length) and budget.fits(
            start, series.session_minutes
        ):
            budget.hold(start, series.session_minutes)
            chosen.append(start)
    return Plan(
        tuple(
            Planned(i + 1, start, series.session_minutes, series.session_type(i))
            for i, start in enumerate(chosen)
        )
    )


def absence(
    availability: Availability | None, starts: Sequence[datetime], length: timedelta
) -> str | None:
    """Why a member cannot attend these starts; None when they can."""
    if availability is None:
        return "no availability given"
    tz = zone(availability.timezone)
    weekly_only = availability.model_copy(update={"exceptions": ()})
    for start in starts:
        end = start + length
        if inside(free_intervals(availability, start - length, end + length), start, end):
            continue
        local = start.astimezone(tz)
        if inside(free_intervals(weekly_only, start - length, end + length), start, end):
            return f"on leave on {local.date().isoformat()}"
        until = end.astimezone(tz).strftime("%H:%M")
        return (
            f"outside the mentee's windows: the slot is {WEEKDAYS[local.weekday()]} "
            f"{local.strftime('%H:%M')}-{until} {availability.timezone}"
        )
    return None


def _why_not(
    availability: Availability | None, checked: Sequence[datetime], length: timedelta
) -> str:
    return absence(availability, checked, length) or "cannot attend"


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
