"""Feedback's view of a match: the pair, its sessions (from the scheduler's events) and
everything said about them: survey requests and answers, session reports with their
action items, goal progress. One aggregate per match (the feedback topic is keyed by
match id), so one match's events go out in order.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.common import Role
from mentornet_contracts.events.sessions import (
    SessionCancelled,
    SessionCompleted,
    SessionMissed,
    SessionRescheduled,
    SessionScheduled,
)

from . import checkins
from .state import CheckinStatus, GoalProgress, Match, ProgressEntry, Session, SessionStatus

ERASED = "erased"
"""Who an erased mentor's progress entries are by, once they are gone."""


def short_id(prefix: str, *parts: str) -> str:
    """Deterministic ids, so a redelivered event makes the same requests and reports."""
    return f"{prefix}-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def new_match(match_id: str, program_id: str, mentor_id: str, mentee_id: str) -> Match:
    """A match first heard of (its first session, its confirmation or its end)."""
    return {
        "match_id": match_id,
        "program_id": program_id,
        "mentor_id": mentor_id,
        "mentee_id": mentee_id,
        "sessions": {},
        "requests": {},
        "reports": {},
        "goals": {},
        "rubric_risk": False,
        "due_epoch": None,
    }


def on_scheduled(current: Match | None, event: SessionScheduled) -> Match:
    match: Match = current or new_match(
        event.match_id, event.program_id, event.mentor_id, event.mentee_id
    )
    session: Session = {
        "session_id": event.session_id,
        "sequence": event.sequence,
        "session_type": event.session_type,
        "starts_at": event.starts_at.isoformat(),
        "status": SessionStatus.SCHEDULED,
    }
    changed: Match = {**match, "sessions": {**match["sessions"], event.session_id: session}}
    return checkins.opened(changed, event) if checkins.is_async(event) else changed


def _session_changed(current: Match | None, session_id: str, session: Session) -> Match | None:
    if current is None or session_id not in current["sessions"]:
        return None
    return {**current, "sessions": {**current["sessions"], session_id: session}}


def _with_status(current: Match | None, session_id: str, status: SessionStatus) -> Match | None:
    if current is None or session_id not in current["sessions"]:
        return None
    return _session_changed(
        current, session_id, {**current["sessions"][session_id], "status": status}
    )


def on_rescheduled(current: Match | None, event: SessionRescheduled) -> Match | None:
    if current is None or event.session_id not in current["sessions"]:
        return None
    session = current["sessions"][event.session_id]
    moved: Session = {**session, "starts_at": event.starts_at.isoformat()}
    changed = _session_changed(current, event.session_id, moved)
    return None if changed is None else checkins.moved(changed, event)


def _settled(
    current: Match | None, session_id: str, status: SessionStatus, checkin: CheckinStatus
) -> Match | None:
    changed = _with_status(current, session_id, status)
    return None if changed is None else checkins.settled(changed, session_id, checkin)


def on_cancelled(current: Match | None, event: SessionCancelled) -> Match | None:
    return _settled(current, event.session_id, SessionStatus.CANCELLED, CheckinStatus.CANCELLED)


def on_missed(current: Match | None, event: SessionMissed) -> Match | None:
    return _settled(current, event.session_id, SessionStatus.MISSED, CheckinStatus.MISSED)


def completed(current: Match | None, event: SessionCompleted, at: datetime) -> Match:
    """The session took place. Its scheduling event comes first on the same stream, so
    an unknown session is an error (retried, then dead-lettered)."""
    if current is None or event.session_id not in current["sessions"]:
        raise UnknownEntity("session", event.session_id, "completed before it was scheduled")
    session = current["sessions"][event.session_id]
    held: Session = {
        **session,
        "status": SessionStatus.COMPLETED,
        "completed_at": at.isoformat(),
    }
    changed = _session_changed(current, event.session_id, held)
    assert changed is not None
    return checkins.settled(changed, event.session_id, CheckinStatus.HELD)


def role_of(match: Match, participant_id: str) -> Role | None:
    if participant_id == match["mentor_id"]:
        return Role.MENTOR
    if participant_id == match["mentee_id"]:
        return Role.MENTEE
    return None


def forget(match: Match, participant_id: str) -> Match:
    """Erasure: the person's answers, the reports they wrote, their goal progress and
    their check-in parts' words (checkins.forget)."""
    requests = {k: v for k, v in match["requests"].items() if v["participant_id"] != participant_id}
    reports = {k: v for k, v in match["reports"].items() if v["author_id"] != participant_id}
    goals = (
        {}
        if participant_id == match["mentee_id"]
        else _without_author(match["goals"], participant_id)
    )
    kept: Match = {**match, "requests": requests, "reports": reports, "goals": goals}
    return checkins.forget(kept, participant_id)


def _without_author(goals: dict[str, GoalProgress], participant_id: str) -> dict[str, GoalProgress]:
    """Progress entries an erased mentor wrote lose their author and note."""
    cleaned: dict[str, GoalProgress] = {}
    for goal_id, goal in goals.items():
        history: list[ProgressEntry] = [
            {**e, "by": ERASED, "note": ""} if e["by"] == participant_id else e
            for e in goal["history"]
        ]
        by = ERASED if goal.get("by") == participant_id else goal["by"]
        cleaned[goal_id] = {**goal, "history": history, "by": by}
    return cleaned


def parts_of(match: Match, participant_id: str) -> tuple[list[str], list[str]]:
    """The request and action item ids that belong to the person (for the lookups)."""
    requests = [k for k, v in match["requests"].items() if v["participant_id"] == participant_id]
    items = [
        i for r in match["reports"].values() if r["author_id"] == participant_id for i in r["items"]
    ]
    return requests, items
