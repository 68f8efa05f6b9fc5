"""Who sits where in a cohort's group sessions: a member is seated on each one whose
actual start lies inside their windows on that date (leave honoured); their other
dates are unplaced with the reason, in their local time, together with the dates on
which the cohort has no group session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from mentornet_contracts.events.common import Availability

from .planning import Planned
from .reasons import Attendee, at_start
from .state import Cohort
from .unplaced import Unplaced, of_note
from .windows import WEEKDAYS, free_intervals, inside, zone


@dataclass(frozen=True)
class Member:
    mentee_id: str
    availability: Availability | None


def seating(
    member: Member, sessions: Sequence[Planned], gaps: Sequence[Unplaced]
) -> tuple[tuple[Planned, ...], tuple[Unplaced, ...]]:
    """The group sessions a member is seated in (their actual start inside the
    member's windows on that date) and their other dates, unplaced with the reason."""
    person = Attendee(member.mentee_id, "the mentee", member.availability)
    seated: list[Planned] = []
    missing: list[Unplaced] = [
        Unplaced(g.sequence, g.target, g.reason, g.detail, g.attendee_id) for g in gaps
    ]
    for session in sessions:
        why = at_start(person, session.starts_at, timedelta(minutes=session.minutes))
        if why is None:
            seated.append(session)
        else:
            missing.append(
                Unplaced(
                    session.sequence, session.starts_at, why.reason, why.detail, member.mentee_id
                )
            )
    return tuple(seated), tuple(sorted(missing, key=lambda u: u.target))


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
        at = start.astimezone(tz)
        if inside(free_intervals(weekly_only, start - length, end + length), start, end):
            return f"on leave on {at.date().isoformat()}"
        until = end.astimezone(tz).strftime("%H:%M")
        return (
            f"outside the mentee's windows: the slot is {WEEKDAYS[at.weekday()]} "
            f"{at.strftime('%H:%M')}-{until} {availability.timezone}"
        )
    return None


def unable_reason(
    availability: Availability | None, checked: Sequence[datetime], length: timedelta
) -> str:
    return absence(availability, checked, length) or "cannot attend"


def gaps_of(cohort: Cohort) -> list[Unplaced]:
    """The cohort's dates with no group session."""
    return [of_note(n) for n in cohort.get("gaps", [])]
