"""Why a date cannot be placed, as far as people's windows say, per date: their weekly
windows do not meet for a whole session near it (no_overlap), or they do but someone's
dated exception covers it (exception). The calendar side (other sessions, the buffer,
the mentor's hours) is the planner's to add. Details in plain words and local times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.sessions import BookingFailure

from .windows import WEEKDAYS, Interval, free_intervals, intersect, zone

GRID = timedelta(minutes=15)


@dataclass(frozen=True)
class Attendee:
    participant_id: str
    role: str
    """Who they are in plain words: "the mentor", "the mentee"."""
    availability: Availability | None


@dataclass(frozen=True)
class Why:
    reason: BookingFailure
    detail: str
    attendee_id: str | None = None


def ceil(moment: datetime, step: timedelta = GRID) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return epoch + -(-(moment - epoch) // step) * step


def has_start(
    free: Sequence[Interval], begin: datetime, finish: datetime, length: timedelta
) -> bool:
    """A grid start in [begin, finish] whose whole session lies in `free`."""
    for b, f in free:
        start = ceil(max(b, begin))
        if start <= finish and start + length <= f:
            return True
    return False


def local(moment: datetime, timezone: str) -> str:
    """'Tue 2027-04-06 18:00 Europe/Berlin'."""
    at = moment.astimezone(zone(timezone))
    return f"{at.strftime('%a %Y-%m-%d %H:%M')} {timezone}"


def day_windows(availability: Availability, moment: datetime) -> str:
    """The person's windows on the local weekday of `moment`, in their own time."""
    day = WEEKDAYS[moment.astimezone(zone(availability.timezone)).weekday()]
    found = [f"{w.start}-{w.end}" for w in availability.weekly if w.weekday == day]
    shown = ", ".join(found[:3]) if found else "none"
    return f"{day} {shown} {availability.timezone}"


def _free(
    availability: Availability | None, begin: datetime, end: datetime, *, dated: bool
) -> list[Interval]:
    if availability is None:
        return []
    return free_intervals(availability, begin, end, with_exceptions=dated)


def _meet(frees: Sequence[Sequence[Interval]]) -> list[Interval]:
    shared = list(frees[0])
    for other in frees[1:]:
        shared = intersect(shared, other)
    return shared


def windows_why(
    people: Sequence[Attendee],
    target: datetime,
    tolerance: timedelta,
    length: timedelta,
    earliest: datetime | None = None,
) -> Why | None:
    """no_overlap or exception when the windows rule the date out; None when all of
    them meet for a whole session within the tolerance around `target` (not before
    `earliest`)."""
    begin, finish = max(target - tolerance, earliest or target - tolerance), target + tolerance
    end = finish + length
    weekly = [_free(p.availability, begin, end, dated=False) for p in people]
    if not has_start(_meet(weekly), begin, finish, length):
        return _no_overlap(people, weekly, (begin, finish), target, length)
    dated = [_free(p.availability, begin, end, dated=True) for p in people]
    if has_start(_meet(dated), begin, finish, length):
        return None
    for i, person in enumerate(people):
        mixed = [*dated[:i], weekly[i], *dated[i + 1 :]]
        if has_start(_meet(mixed), begin, finish, length):
            return _away(person, target)
    return _away(people[0], target)


def _no_overlap(
    people: Sequence[Attendee],
    weekly: Sequence[Sequence[Interval]],
    span: tuple[datetime, datetime],
    target: datetime,
    length: timedelta,
) -> Why:
    minutes = int(length.total_seconds() // 60)
    lonely = next(
        (
            p
            for p, free in zip(people, weekly, strict=True)
            if not has_start(free, span[0], span[1], length)
        ),
        None,
    )
    near = f"within {_span(span[1] - target)} of {_first_local(people, target)}"
    if lonely is not None:
        detail = f"{lonely.role} has no {minutes}-minute window {near}"
        if lonely.availability is not None:
            detail += f" ({day_windows(lonely.availability, target)})"
        return Why(BookingFailure.NO_OVERLAP, detail, lonely.participant_id)
    shown = "; ".join(
        f"{p.role}: {day_windows(p.availability, target)}"
        for p in people
        if p.availability is not None
    )
    return Why(
        BookingFailure.NO_OVERLAP, f"the windows do not meet for {minutes} minutes {near} ({shown})"
    )


def _away(person: Attendee, target: datetime) -> Why:
    assert person.availability is not None
    day = target.astimezone(zone(person.availability.timezone)).date()
    leave = next(
        (x for x in person.availability.exceptions if x.start_date <= day <= x.end_date), None
    )
    span = f" (away {leave.start_date}..{leave.end_date})" if leave else ""
    return Why(
        BookingFailure.EXCEPTION,
        f"{person.role} is away around {local(target, person.availability.timezone)}{span}",
        person.participant_id,
    )


def at_start(person: Attendee, start: datetime, length: timedelta) -> Why | None:
    """Why one person cannot attend a session at exactly this start; None if they can."""
    end = start + length
    if person.availability is None:
        return Why(
            BookingFailure.NO_OVERLAP, f"{person.role} gave no availability", person.participant_id
        )
    if _inside(_free(person.availability, start - length, end + length, dated=True), start, end):
        return None
    where = local(start, person.availability.timezone)
    if _inside(_free(person.availability, start - length, end + length, dated=False), start, end):
        return _away(person, start)
    return Why(
        BookingFailure.NO_OVERLAP,
        f"the session at {where} is outside {person.role}'s windows "
        f"({day_windows(person.availability, start)})",
        person.participant_id,
    )


def _inside(free: Sequence[Interval], begin: datetime, end: datetime) -> bool:
    return any(b <= begin and end <= f for b, f in free)


def _first_local(people: Sequence[Attendee], target: datetime) -> str:
    """The target in the first person's zone, and the clock time in the others'."""
    zones = list(dict.fromkeys(p.availability.timezone for p in people if p.availability))
    if not zones:
        return target.isoformat()
    others = [f"{target.astimezone(zone(name)).strftime('%H:%M')} {name}" for name in zones[1:4]]
    return " = ".join([local(target, zones[0]), *others])


def _span(tolerance: timedelta) -> str:
    hours = tolerance.total_seconds() / 3600
    return f"{hours / 24:g} days" if hours >= 24 else f"{hours:g} hours"
