"""A match on hold (match.paused) and back (match.resumed).

Paused: the match's scheduled sessions that fall in the pause (live: starting from
`paused_at` until `resume_by`; a check-in: not yet due at `paused_at` and opening
before `resume_by`) are cancelled with the pause's reason; the match is `paused`, so
nothing is booked for it, no timer runs and nothing stalls (the no-activity clock and
the missed streak start afresh at resume). A cohort member's seats in the pause are
cancelled; the group sessions go on for the others.

Resumed: the resume is noted first (`resuming`); the use case then plans the rest of
the series (the sessions the pause cancelled and those still ahead) from the resume
time and `resumed` writes it in one change (domain/resume_plans.py says where each
goes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from mentornet_contracts.events.matches import MatchPaused, MatchResumed

from . import checkin_clock, matches, resume_plans, sessions, unplaced
from .resume_plans import Placement
from .state import Match, MatchStatus, PauseNote, Session, SessionStatus

REPLANNED = "re-planned after the pause"
UNPLACED = "no time fits after the pause"

Build = Callable[[Match, Placement, str], Session]
"""A new session for a placement, with the id given."""


def _start(session: Session) -> datetime:
    return datetime.fromisoformat(session["starts_at"])


def in_pause(session: Session, paused_at: datetime, resume_by: datetime) -> bool:
    if session["status"] != SessionStatus.SCHEDULED or _start(session) >= resume_by:
        return False
    if checkin_clock.is_checkin(session):
        return checkin_clock.due_at(session) > paused_at
    return _start(session) >= paused_at


def paused(current: Match | None, event: MatchPaused) -> tuple[Match | None, list[Any]]:
    """The match on hold with its sessions in the pause cancelled; None when it is not
    active (ended, paused already, not known)."""
    if current is None or current["status"] != MatchStatus.ACTIVE:
        return None, []
    reason = f"match paused: {event.reason}"
    match, events, cancelled = current, [], []
    for session in current["sessions"]:
        if in_pause(session, event.paused_at, event.resume_by):
            match, cancel = sessions.cancel(match, session["session_id"], reason)
            events.append(cancel)
            cancelled.append(session["session_id"])
    note: PauseNote = {
        "by": str(event.by),
        "reason": event.reason,
        "paused_at": event.paused_at.isoformat(),
        "resume_by": event.resume_by.isoformat(),
        "cancelled": cancelled,
    }
    state: Match = {**match, "status": MatchStatus.PAUSED, "pause": note, "due_epoch": None}
    state.pop("claim", None)
    return state, events


def resuming(current: Match | None, event: MatchResumed) -> Match | None:
    """The resume noted on a paused match (its re-planning follows); None otherwise."""
    pause = current.get("pause") if current else None
    if current is None or current["status"] != MatchStatus.PAUSED or pause is None:
        return None
    if "resumed_at" in pause:
        return None
    return {**current, "pause": {**pause, "resumed_at": event.resumed_at.isoformat()}}


def awaiting(match: Match | None) -> bool:
    """Paused, its resume noted and not yet re-planned."""
    pause = match.get("pause") if match else None
    return (
        match is not None
        and match["status"] == MatchStatus.PAUSED
        and pause is not None
        and "resumed_at" in pause
    )


def remaining(match: Match, now: datetime) -> list[Session]:
    """What a resume plans again, in series order: the sessions the pause cancelled and
    those still scheduled ahead."""
    pause = match.get("pause")
    cancelled = set(pause["cancelled"]) if pause else set()
    return sorted(
        (
            s
            for s in match["sessions"]
            if s["session_id"] in cancelled
            or (s["status"] == SessionStatus.SCHEDULED and _start(s) > now)
        ),
        key=lambda s: (s["sequence"], s["starts_at"]),
    )


def resumed_id(match_id: str, sequence: int, round_: int) -> str:
    """A re-planned session's id: deterministic (a retried resume makes the same one)
    and new per resume (the cancelled one keeps its own)."""
    digest = hashlib.sha256(f"{match_id}|{sequence}|resume-{round_}".encode()).hexdigest()[:16]
    return f"s-{digest}"


def resumed(
    match: Match,
    placements: Sequence[Placement],
    build: Build,
    zones: Mapping[str, str],
) -> tuple[Match | None, list[Any]]:
    """The match active again with the rest of its series where `placements` put it
    (kept, moved, cancelled when nothing fits, or made anew); None when it is not
    waiting for its resume."""
    pause = match.get("pause")
    if not awaiting(match) or pause is None:
        return None, []
    round_ = match.get("pauses", 0) + 1
    events: list[Any] = []
    for placement in placements:
        match = _place(match, placement, build, zones, round_, events)
    resumed_at = pause["resumed_at"]
    state: Match = {
        **match,
        "status": MatchStatus.ACTIVE,
        "pauses": round_,
        "last_activity_at": max(match["last_activity_at"], resumed_at),
        "missed_in_a_row": 0,
        "stalled": {},
    }
    state.pop("pause", None)
    missing = resume_plans.dates(placements)
    if missing:
        state = unplaced.with_dates(state, missing)
    failed = resume_plans.failed(state, placements)
    return state, [*events, failed] if failed is not None else events


def _place(
    match: Match,
    placement: Placement,
    build: Build,
    zones: Mapping[str, str],
    round_: int,
    events: list[Any],
) -> Match:
    session = matches.find(match, placement.session["session_id"]) or placement.session
    sid, start = session["session_id"], placement.start
    live = session["status"] == SessionStatus.SCHEDULED
    if live and start is None:
        match, cancel = sessions.cancel(match, sid, UNPLACED)
        events.append(cancel)
        return match
    if start is None or (live and start == _start(session)):
        return match
    if live and not checkin_clock.is_checkin(session) and not session.get("cohort_id"):
        match, moved = sessions.reschedule(match, sid, start, zones, REPLANNED)
        events.append(moved)
        return match
    if live:
        match, cancel = sessions.cancel(match, sid, REPLANNED)
        events.append(cancel)
    new = build(match, placement, resumed_id(match["match_id"], session["sequence"], round_))
    added: Match = {**match, "sessions": [*match["sessions"], new]}
    events.append(matches.scheduled_event(added, new))
    return added
