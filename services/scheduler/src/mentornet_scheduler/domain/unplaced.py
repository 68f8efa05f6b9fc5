"""A planned date of a series that could not be booked, and why: kept on the match
(so the series is not complete while any stays, a hand booking fills the earliest, and
new availability tries the future ones again) and announced in
session.booking.failed.v2."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from mentornet_contracts.events.sessions import (
    MAX_SERIES_SESSIONS,
    MAX_UNPLACED_DETAIL,
    BookingFailure,
    SessionBookingFailed,
    UnplacedSession,
)

from .state import Match, SessionStatus, UnplacedNote


@dataclass(frozen=True)
class Unplaced:
    sequence: int
    target: datetime
    reason: BookingFailure
    detail: str = ""
    attendee_id: str | None = None


def note(date: Unplaced) -> UnplacedNote:
    return {
        "sequence": date.sequence,
        "target": date.target.isoformat(),
        "reason": str(date.reason),
        "detail": date.detail[:MAX_UNPLACED_DETAIL],
        "attendee_id": date.attendee_id,
    }


def of_note(kept: UnplacedNote) -> Unplaced:
    return Unplaced(
        kept["sequence"],
        datetime.fromisoformat(kept["target"]),
        BookingFailure(kept["reason"]),
        kept["detail"],
        kept.get("attendee_id"),
    )


def kept(match: Match) -> list[Unplaced]:
    """The match's unplaced dates, earliest first."""
    return sorted((of_note(n) for n in match.get("unplaced", [])), key=lambda u: u.target)


def with_dates(match: Match, dates: Sequence[Unplaced]) -> Match:
    """The match with these unplaced dates added (a date already kept is replaced)."""
    fresh = {d.sequence: d for d in dates}
    old = [n for n in match.get("unplaced", []) if n["sequence"] not in fresh]
    notes = sorted([*old, *(note(d) for d in fresh.values())], key=lambda n: n["target"])
    return {**match, "unplaced": notes}


def without(match: Match, sequence: int) -> Match:
    """The match with one date no longer unplaced (it was booked)."""
    return {
        **match,
        "unplaced": [n for n in match.get("unplaced", []) if n["sequence"] != sequence],
    }


def standing(match: Match) -> int:
    """Dates of the series that stand booked: sessions scheduled or settled (one per
    date; a cancelled one is not booked)."""
    return len({s["sequence"] for s in match["sessions"] if s["status"] != SessionStatus.CANCELLED})


def report(
    match: Match, reason: BookingFailure, detail: str, *, cohort_id: str | None = None
) -> SessionBookingFailed:
    """session.booking.failed.v2 from the match as it is after the change: every date
    it keeps unplaced (the complete set, not what this change added) and the whole
    series' counts (booked: the dates that stand; planned: those and the unplaced).
    Dates in series order.
    Every path that announces unplaced dates builds the event here."""
    dates = sorted(kept(match), key=lambda d: d.sequence)
    booked = standing(match)
    return SessionBookingFailed(
        match_id=match["match_id"],
        program_id=match["program_id"],
        reason=reason,
        detail=detail[:500],
        cohort_id=cohort_id if cohort_id is not None else match.get("cohort_id"),
        planned=min(MAX_SERIES_SESSIONS, booked + len(dates)),
        booked=min(MAX_SERIES_SESSIONS, booked),
        unplaced=tuple(
            UnplacedSession(
                sequence=d.sequence,
                target=d.target,
                reason=d.reason,
                detail=d.detail[:MAX_UNPLACED_DETAIL],
                attendee_id=d.attendee_id,
            )
            for d in dates[:MAX_SERIES_SESSIONS]
        ),
    )
