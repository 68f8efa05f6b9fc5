"""Sessions a match's series could not book (session.booking.failed): what QA keeps of
them, the words a case says about them, and the program's count of unbookable dates.

A match keeps the dates of its latest report only: booking.failed.v2's `unplaced` is
the match's complete current set, so a repeat report replaces, never adds to, the
last one (a report with a plan and no dates leaves none). The dates the scheduler
books afterwards drop out: a later session.scheduled carries the date's place in the
series (`sequence`). A report with `planned` 0 and no dates says only that booking
failed (a v1 record, a series that could not be planned): it leaves the dates known.
When the last unplaced date is booked (a coordinator booked it by hand, or new
availability let the scheduler place it), an open case raised only by booking
failures is resolved back_on_track by the system.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mentornet_contracts.events.qa import EscalationTrigger, Resolution
from mentornet_contracts.events.sessions import (
    SessionBookingFailed,
    SessionScheduled,
    UnplacedSession,
)

from . import matches, playbook
from .documents import FINISHED, Match, Unplaced
from .program import Program
from .triggers import Step, raise_case

MAX_DETAIL = 500


def _kept(date: UnplacedSession) -> Unplaced:
    return Unplaced(
        sequence=date.sequence,
        target=date.target.isoformat(),
        reason=str(date.reason),
        attendee_id=date.attendee_id,
    )


def on_failed(match: Match, event: SessionBookingFailed, now: datetime) -> Match:
    """The match with the report's dates in place of the last report's."""
    if not event.unplaced and not event.planned:
        return {**match, "program_id": match["program_id"] or event.program_id}
    return {
        **match,
        "program_id": match["program_id"] or event.program_id,
        "unplaced": [_kept(d) for d in sorted(event.unplaced, key=lambda d: d.sequence)],
        "unplaced_reported_at": now.isoformat(),
    }


def on_booked(match: Match, sequence: int) -> Match:
    """A date of the series was booked: it is no longer unplaced."""
    dates = match.get("unplaced")
    if not dates or all(d["sequence"] != sequence for d in dates):
        return match
    return {**match, "unplaced": [d for d in dates if d["sequence"] != sequence]}


def _count(n: int, one: str) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {one}s"


def _reasons(dates: Sequence[UnplacedSession]) -> str:
    """Each reason once, in series order, with the first date it rules out:
    `no_overlap from 2027-04-06` (several dates) or `exception on 2027-05-04` (one)."""
    by_reason: dict[str, list[UnplacedSession]] = {}
    for d in sorted(dates, key=lambda d: (d.sequence, d.target)):
        by_reason.setdefault(str(d.reason), []).append(d)
    return ", ".join(
        f"{reason} {'from' if len(found) > 1 else 'on'} {found[0].target.date().isoformat()}"
        for reason, found in by_reason.items()
    )


def detail(event: SessionBookingFailed) -> str:
    """What a case says: `3 of 6 sessions could not be booked: no_overlap from
    2027-04-06`, then the scheduler's own words, and the cohort when there is one."""
    dates = event.unplaced
    missing = len(dates) or max(event.planned - event.booked, 0)
    if event.planned:
        head = f"{missing} of {_count(event.planned, 'session')} could not be booked"
    elif missing:
        head = f"{_count(missing, 'session')} could not be booked"
    else:
        head = "a session could not be booked"
    why = _reasons(dates) if dates else str(event.reason)
    words = f"{head}: {why}"
    if event.detail:
        words += f" ({event.detail})"
    if event.cohort_id:
        words += f"; cohort {event.cohort_id}"
    return words[:MAX_DETAIL]


def unplaced_now(match: Match) -> list[Unplaced]:
    """The dates that count: those of a match still running."""
    if match["status"] in FINISHED:
        return []
    return match.get("unplaced") or []


def booking_failed(
    state: Match | None, event: SessionBookingFailed, program: Program | None, now: datetime
) -> Step:
    """The subscriber's step: the match keeps the report's dates, and its case opens
    (ask the pair for availability) or is updated with what is unplaced."""
    match = on_failed(matches.base(state, event.match_id), event, now)
    return raise_case(match, EscalationTrigger.BOOKING_FAILED, detail(event), program, now)


def scheduled(
    state: Match | None, event: SessionScheduled, program: Program | None, now: datetime
) -> Step:
    """The subscriber's step: a booked date is no longer unplaced; once the last one is
    booked, a case about nothing but unbooked dates is back on track."""
    match = matches.on_session_scheduled(state, event)
    after = on_booked(match, event.sequence)
    if not match.get("unplaced") or after.get("unplaced") or not _only_bookings(after):
        return after, []
    note = "every date that could not be booked has been booked since"
    closed, resolved = playbook.resolve(after, Resolution.BACK_ON_TRACK, now, "system", note)
    return closed, [resolved]


def _only_bookings(match: Match) -> bool:
    """An open case raised by booking failures only, not waiting on a rematch or a
    resume."""
    case = match.get("case")
    return (
        case is not None
        and not case.get("awaiting_new_match")
        and not case.get("awaiting_resume")
        and all(t["trigger"] == EscalationTrigger.BOOKING_FAILED for t in case["triggers"])
        and case["trigger"] == EscalationTrigger.BOOKING_FAILED
    )
