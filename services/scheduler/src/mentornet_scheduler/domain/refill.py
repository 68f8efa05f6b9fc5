"""A match's unplaced dates over time: a session that no longer fits and has nowhere
to go becomes an unplaced date (cancelled, with its reason, and coordinators told);
an unplaced date that finds a time (new availability, a hand booking) becomes a
session again and leaves the list; one tried again that still finds none keeps its
reason as it is now (coordinators told again when the reason changed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mentornet_contracts.events.sessions import SessionBookingFailed, SessionScheduled

from . import matches, sessions, unplaced
from .planning import Planned
from .state import Match
from .unplaced import Unplaced


def fresh_id(match: Match, sequence: int) -> str:
    """The date's session id; a new one when an earlier session of that date (since
    cancelled) holds it. Deterministic for a given match, so a redelivery repeats it."""
    taken = {s["session_id"] for s in match["sessions"]}
    sid = matches.session_id(match["match_id"], sequence)
    round_ = 0
    while sid in taken:
        round_ += 1
        sid = matches.session_id(f"{match['match_id']}~{round_}", sequence)
    return sid


def placed(
    match: Match,
    planned: Planned,
    zones: Mapping[str, str],
    *,
    sid: str,
    cohort: str | None = None,
) -> tuple[Match, list[SessionScheduled]]:
    """The date booked at last: a session in the match, no longer unplaced (the match
    as it is when the date is not unplaced any more)."""
    if all(n["sequence"] != planned.sequence for n in match.get("unplaced", [])):
        return match, []
    new = matches.new_session(match, planned, zones, cohort=cohort, sid=sid)
    added: Match = unplaced.without(
        {**match, "sessions": [*match["sessions"], new]}, planned.sequence
    )
    if not added.get("unplaced"):
        added["failure"] = None
    return added, [matches.scheduled_event(added, new)]


def dropped(match: Match, sid: str, reason: str, date: Unplaced) -> tuple[Match, list[Any]]:
    """A session with nowhere to go: cancelled, its date unplaced, coordinators told
    (session.booking.failed.v2 lists every date of the match still unplaced)."""
    gone, cancelled = sessions.cancel(match, sid, reason)
    state, failed = _told(unplaced.with_dates(gone, [date]), date, f"session {sid}: {reason}")
    return state, [cancelled, failed]


def _told(state: Match, date: Unplaced, why: str) -> tuple[Match, SessionBookingFailed]:
    """The match's failure noted after `date` and session.booking.failed.v2 listing
    every date of the match still unplaced."""
    detail = f"{why}; {date.detail}"
    noted: Match = {**state, "failure": {"reason": str(date.reason), "detail": detail[:500]}}
    failed = unplaced.report(noted, date.reason, detail, cohort_id=state.get("cohort_id"))
    return noted, failed


def _kept(match: Match, sequence: int) -> Unplaced | None:
    notes = [n for n in match.get("unplaced", []) if n["sequence"] == sequence]
    return unplaced.of_note(notes[0]) if notes else None


def stale(match: Match, date: Unplaced) -> bool:
    """Whether the match keeps this unplaced date with another reason or detail."""
    kept = _kept(match, date.sequence)
    return kept is not None and kept != unplaced.of_note(unplaced.note(date))


def rediagnosed(match: Match, dates: Sequence[Unplaced]) -> tuple[Match, list[Any]]:
    """Dates tried again that still find no time, kept with their reasons and details
    as they are now; when a reason changed, session.booking.failed.v2 once more (every
    date of the match still unplaced, led by the first date whose reason changed)."""
    fresh = [d for d in dates if stale(match, d)]
    if not fresh:
        return match, []
    changed = [d for d in fresh if (old := _kept(match, d.sequence)) and old.reason != d.reason]
    state = unplaced.with_dates(match, fresh)
    if not changed:
        return state, []
    state, failed = _told(state, changed[0], f"date {changed[0].sequence} tried again")
    return state, [failed]
