"""The scheduler's view of a match: the pair, the program's rules it runs under, and
its sessions. One aggregate per match (the sessions topic is keyed by match id), so a
match's events go out in order and a session change is one conditional write.

Booking states: see state.BookingState.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

from mentornet_contracts.events.common import SessionFormat
from mentornet_contracts.events.matches import MatchConfirmed
from mentornet_contracts.events.programs import ProgramPublished
from mentornet_contracts.events.sessions import (
    LocalTime,
    SessionBookingFailed,
    SessionScheduled,
)

from . import unplaced
from .planning import Plan, Planned
from .state import (
    BookingState,
    LocalStart,
    Match,
    MatchRules,
    MatchStatus,
    Session,
    SessionStatus,
)
from .windows import zone

CLAIM_S = 120.0
"""How long one replica's booking of a match keeps others off it; a replica that dies
mid-booking is succeeded after this long."""
MAX_SESSIONS = 1000
"""Sessions one match may hold, series and extra ones, so a match document is bounded:
intake's longest program (104 weeks) at its busiest cadence (31 a month) plans 744."""


def session_id(match_id: str, sequence: int) -> str:
    """Deterministic, so booking the same match again (a redelivered event) makes the
    same sessions, and short enough for any match id."""
    digest = hashlib.sha256(f"{match_id}|{sequence}".encode()).hexdigest()[:16]
    return f"s-{digest}"


def cohort_id(program_id: str, mentor_id: str) -> str:
    return "c-" + hashlib.sha256(f"{program_id}|{mentor_id}".encode()).hexdigest()[:16]


def rules(program: ProgramPublished) -> MatchRules:
    """What a match needs of its program's rules, kept with the match."""
    return {
        "tier": str(program.tier),
        "sessions_per_month": program.cadence.sessions_per_month,
        "session_minutes": program.cadence.session_minutes,
        "duration_weeks": program.duration_weeks,
        "max_monthly_hours": program.max_monthly_hours_per_mentor,
        "missed_in_a_row": program.escalation.missed_sessions_in_a_row,
        "days_without_activity": program.escalation.days_without_activity,
        "cohort_size": program.cohort_size,
    }


def threshold(match: Match, name: Literal["missed_in_a_row", "days_without_activity"]) -> int:
    """One of the program's escalation thresholds the match runs under (0: none)."""
    rules = match.get("rules")
    return int(rules[name] or 0) if rules else 0


def confirmed(current: Match | None, event: MatchConfirmed, now: datetime) -> Match | None:
    """A new match waiting to be booked; a repeat changes nothing."""
    if current is not None:
        return None
    return {
        "match_id": event.match_id,
        "program_id": event.program_id,
        "mentor_id": event.mentor_id,
        "mentee_id": event.mentee_id,
        "status": MatchStatus.ACTIVE,
        "booking": BookingState.PENDING,
        "confirmed_at": now.isoformat(),
        "last_activity_at": now.isoformat(),
        "missed_in_a_row": 0,
        "stalled": {},
        "sessions": [],
        "due_epoch": now.timestamp(),
    }


def claim(match: Match | None, owner: str, now: datetime) -> Match | None:
    """Take the match's booking for `owner`: None if it is not waiting or another
    replica's claim is still live. The claim also sets the timer to its expiry, so a
    booking whose replica died is retried."""
    if match is None or match["status"] != MatchStatus.ACTIVE:
        return None
    if match["booking"] != BookingState.PENDING:
        return None
    held = match.get("claim")
    if held and held["owner"] != owner and held["until"] > now.timestamp():
        return None
    until = now.timestamp() + CLAIM_S
    return {**match, "claim": {"owner": owner, "until": until}, "due_epoch": until}


def claimed_by(match: Match | None, owner: str) -> bool:
    held = match.get("claim") if match else None
    return held is not None and held["owner"] == owner


def local_times(start: datetime, zones: Mapping[str, str]) -> list[LocalStart]:
    return [
        {
            "participant_id": person,
            "timezone": name,
            "local_start": start.astimezone(zone(name)).isoformat(),
        }
        for person, name in zones.items()
    ]


def new_session(
    match: Match,
    planned: Planned,
    zones: Mapping[str, str],
    *,
    cohort: str | None = None,
    sid: str | None = None,
) -> Session:
    own = sid or session_id(match["match_id"], planned.sequence)
    booking = f"{cohort}:{planned.sequence}" if cohort else own
    return {
        "session_id": own,
        "sequence": planned.sequence,
        "session_type": planned.session_type,
        "starts_at": planned.starts_at.isoformat(),
        "duration_minutes": planned.minutes,
        "status": SessionStatus.SCHEDULED,
        "revision": 0,
        "attendance": None,
        "reminders": {},
        "prompted": False,
        "local_times": local_times(planned.starts_at, zones),
        "booking_id": booking,
        "cohort_id": cohort,
    }


def scheduled_event(match: Match, session: Session) -> SessionScheduled:
    return SessionScheduled(
        session_id=session["session_id"],
        match_id=match["match_id"],
        program_id=match["program_id"],
        mentor_id=match["mentor_id"],
        mentee_id=match["mentee_id"],
        session_type=session["session_type"],
        starts_at=datetime.fromisoformat(session["starts_at"]),
        duration_minutes=session["duration_minutes"],
        local_times=tuple(LocalTime.model_validate(t) for t in session["local_times"]),
        cohort_id=session.get("cohort_id"),
        sequence=session["sequence"],
        format=SessionFormat(session["format"]) if "format" in session else None,
        due_at=datetime.fromisoformat(session["due_at"]) if "due_at" in session else None,
    )


def booked(
    match: Match,
    plan: Plan,
    zones: Mapping[str, str],
    *,
    cohort: str | None = None,
) -> tuple[Match, list[SessionScheduled | SessionBookingFailed]]:
    """The match with its planned sessions, the events that announce them and, when the
    plan fell short, the reason for coordinators."""
    known = {s["session_id"] for s in match["sessions"]}
    sessions = [new_session(match, p, zones, cohort=cohort) for p in plan.sessions]
    added = [s for s in sessions if s["session_id"] not in known]
    events: list[SessionScheduled | SessionBookingFailed] = [
        scheduled_event(match, s) for s in added
    ]
    state: Match = {
        **match,
        "sessions": [*match["sessions"], *added],
        "booking": BookingState.BOOKED if match["sessions"] or added else BookingState.FAILED,
        "failure": {"reason": str(plan.failure), "detail": plan.detail} if plan.failure else None,
    }
    if plan.unplaced:
        state = unplaced.with_dates(state, plan.unplaced)
    if plan.failure is not None:
        events.append(unplaced.report(state, plan.failure, plan.detail, cohort_id=cohort))
    return state, events


def find(match: Match, sid: str) -> Session | None:
    return next((s for s in match["sessions"] if s["session_id"] == sid), None)


def with_session(match: Match, session: Session) -> Match:
    return {
        **match,
        "sessions": [
            session if s["session_id"] == session["session_id"] else s for s in match["sessions"]
        ],
    }


def upcoming(match: Match, now: datetime) -> Sequence[Session]:
    return [
        s
        for s in match["sessions"]
        if s["status"] == SessionStatus.SCHEDULED and datetime.fromisoformat(s["starts_at"]) > now
    ]


def next_sequence(match: Match) -> int:
    return max((s["sequence"] for s in match["sessions"]), default=0) + 1
