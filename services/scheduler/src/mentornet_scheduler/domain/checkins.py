"""Asynchronous matches: the series is a cadence of written check-ins, not live slots.

A check-in opens at `starts_at` (the kickoff after the booking lead, then every series
interval) and is due `min(interval, 7 days)` later. It needs no shared window and holds
no time on the mentor's ledger. The mentee's reflection and the mentor's reply arrive
through feedback (checkin.submitted); with both in, the check-in is held
(session.completed, attended), once. At its due time without both, it is missed
(session.missed, absent = the roles that did not submit) and counts towards the
missed streak like a live session, so stalls and the series' end work the same way.
A reminder goes out before the due time, at the service's reminder offsets (the
check-in's clock is domain/checkin_clock.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mentornet_contracts.events.common import Role
from mentornet_contracts.events.feedback import CheckinSubmitted
from mentornet_contracts.events.matches import MatchConfirmed
from mentornet_contracts.events.programs import ProgramPublished
from mentornet_contracts.events.sessions import (
    CHECKIN_LONGEST_OPEN_DAYS,
    Attendance,
    SessionType,
)

from . import matches, sessions
from .checkin_clock import ASYNC, due_at, is_checkin, roles
from .planning import Planned
from .series import Series
from .state import BookingState, Match, MatchRules, MatchStatus, Session, SessionStatus

BOTH = frozenset({Role.MENTEE, Role.MENTOR})
RECORDED_BY = "checkin"


@dataclass(frozen=True)
class Checkin:
    """One check-in to plan: its place and kind in the series, when it opens."""

    sequence: int
    session_type: SessionType
    opens_at: datetime


def series_of(program: ProgramPublished) -> Series:
    cadence = program.cadence
    return Series(
        cadence.sessions_per_month,
        cadence.session_minutes,
        program.duration_weeks,
        str(program.tier),
    )


def is_async(match: Match, program: ProgramPublished | None) -> bool:
    """By the match's own format; a match not booked yet also by its program's (one
    booked live stays live if its program turns async later)."""
    if match.get("format") == ASYNC:
        return True
    if match["booking"] not in (BookingState.PENDING, BookingState.CHECKINS):
        return False
    return program is not None and program.session_format == ASYNC


def confirmed(current: Match | None, event: MatchConfirmed, now: datetime) -> Match | None:
    """A new match (matches.confirmed); an async one waits for its check-ins to be
    planned, never for live booking."""
    state = matches.confirmed(current, event, now)
    if state is None or event.format != ASYNC:
        return state
    return {**state, "format": ASYNC, "booking": BookingState.CHECKINS, "due_epoch": None}


def awaiting(match: Match | None) -> bool:
    """Active, async and its check-ins not planned yet."""
    return (
        match is not None
        and match["status"] == MatchStatus.ACTIVE
        and match["booking"] == BookingState.CHECKINS
    )


def window(series: Series) -> timedelta:
    """How long a check-in stays open: its interval, at most the contracts' longest."""
    return min(series.interval, timedelta(days=CHECKIN_LONGEST_OPEN_DAYS))


def cadence(series: Series, kickoff: datetime) -> list[Checkin]:
    """The whole series: one check-in every interval from the kickoff."""
    return [
        Checkin(i + 1, series.session_type(i), kickoff + i * series.interval)
        for i in range(series.count)
    ]


def new_checkin(
    match: Match,
    checkin: Checkin,
    series: Series,
    zones: Mapping[str, str],
    sid: str | None = None,
) -> Session:
    planned = Planned(
        checkin.sequence, checkin.opens_at, series.session_minutes, checkin.session_type
    )
    session = matches.new_session(match, planned, zones, sid=sid)
    due = checkin.opens_at + window(series)
    return {**session, "format": ASYNC, "due_at": due.isoformat(), "submitted": []}


def planned(
    match: Match,
    series: Series,
    kickoff: datetime,
    zones: Mapping[str, str],
    rules: MatchRules,
) -> tuple[Match | None, list[Any]]:
    """The match with its check-ins and the session.scheduled events announcing them;
    None when it is not waiting for them (planned already, paused, ended)."""
    if not awaiting(match):
        return None, []
    added = [new_checkin(match, c, series, zones) for c in cadence(series, kickoff)]
    state: Match = {
        **match,
        "format": ASYNC,
        "rules": rules,
        "booking": BookingState.BOOKED,
        "failure": None,
        "sessions": [*match["sessions"], *added],
    }
    state.pop("waiting", None)
    return state, [matches.scheduled_event(state, s) for s in added]


def waiting(match: Match | None, reason: str) -> Match | None:
    """The match noting what its check-ins wait for (None: nothing to note)."""
    if not awaiting(match) or match is None or match.get("waiting") == reason:
        return None
    return {**match, "waiting": reason}


def _takes(session: Session, event: CheckinSubmitted) -> bool:
    """Open for this part: scheduled, or missed by its due-time timer although the part
    was given before the due time (the timer ran before the part was read)."""
    if session["status"] == SessionStatus.SCHEDULED:
        return True
    return (
        session["status"] == SessionStatus.MISSED
        and not session.get("attendance")
        and event.submitted_at < due_at(session)
    )


def submitted(current: Match | None, event: CheckinSubmitted) -> tuple[Match | None, list[Any]]:
    """One side's part is in: noted; with both in, the check-in is held, once. A part
    given before the due time counts even when the due-time timer marked the check-in
    missed first: held after all, its count in the missed streak undone the way a
    missed session recorded as attended is (sessions.record_attendance). A part for an
    unknown, settled or cancelled check-in (a pause's cancellation stands), a late
    one, or for a match not active, changes nothing."""
    session = matches.find(current, event.session_id) if current else None
    if current is None or session is None or not is_checkin(session):
        return None, []
    if current["status"] != MatchStatus.ACTIVE or not _takes(session, event):
        return None, []
    given = roles(session) | {event.role}
    noted = matches.with_session(current, {**session, "submitted": sorted(str(r) for r in given)})
    if not (event.complete or given >= BOTH):
        return (noted if given != roles(session) else None), []
    at = max(event.submitted_at, datetime.fromisoformat(session["starts_at"]))
    return sessions.record_attendance(noted, event.session_id, Attendance.ATTENDED, at, RECORDED_BY)
