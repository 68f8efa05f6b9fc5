"""QA's view of a match, fed by every stream: the pair and its proposal (matches), its
sessions (scheduler), what was said about it (feedback), its escalation case (here).
Events from different streams about one match arrive in any order, so every reducer
starts the match if it is not there yet."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from mentornet_contracts.events.feedback import (
    ActionItemCompleted,
    FeedbackSubmitted,
    GoalProgressRecorded,
    SessionReportFiled,
)
from mentornet_contracts.events.matches import (
    MatchAccepted,
    MatchConfirmed,
    MatchDeclined,
    MatchEnded,
    MatchProposed,
)
from mentornet_contracts.events.sessions import SessionCompleted, SessionMissed, SessionScheduled

from .documents import Answer, Match, MatchStatus, Session, SessionStatus


def base(current: Match | None, match_id: str) -> Match:
    """The match as known, or a new one: facts about it arrive in any order."""
    if current is not None:
        return current.copy()
    return Match(
        match_id=match_id,
        program_id=None,
        mentor_id=None,
        mentee_id=None,
        status=MatchStatus.UNKNOWN,
        sessions={},
        feedback={},
        items=0,
        items_done=0,
        goals={},
        case=None,
        closed_cases=[],
        due_epoch=None,
    )


def on_proposed(
    current: Match | None, event: MatchProposed, now: datetime, accept_days: int
) -> Match:
    match = base(current, event.match_id)
    return {
        **match,
        "program_id": event.program_id,
        "mentor_id": event.mentor_id,
        "mentee_id": event.mentee_id,
        "score": event.score,
        "status": (
            MatchStatus.PROPOSED
            if match["status"] in (MatchStatus.UNKNOWN, MatchStatus.PROPOSED)
            else match["status"]
        ),
        "proposed_at": now.isoformat(),
        "accept_by": (now + timedelta(days=accept_days)).isoformat(),
    }


def on_accepted(current: Match | None, event: MatchAccepted) -> Match:
    match = base(current, event.match_id)
    return {**match, "accepted": True}


def on_declined(current: Match | None, event: MatchDeclined) -> Match:
    return {**base(current, event.match_id), "status": MatchStatus.DECLINED}


def on_confirmed(current: Match | None, event: MatchConfirmed, now: datetime) -> Match:
    match = base(current, event.match_id)
    return {
        **match,
        "program_id": event.program_id,
        "mentor_id": event.mentor_id,
        "mentee_id": event.mentee_id,
        "status": MatchStatus.CONFIRMED,
        "confirmed_at": now.isoformat(),
        "format": str(event.format) if event.format else None,
    }


def on_ended(current: Match | None, event: MatchEnded, now: datetime) -> Match:
    match = base(current, event.match_id)
    return {
        **match,
        "program_id": event.program_id,
        "mentor_id": event.mentor_id,
        "mentee_id": event.mentee_id,
        "status": MatchStatus.ENDED,
        "ended_at": now.isoformat(),
        "end_reason": str(event.reason),
        "end_cause": str(event.cause) if event.cause else None,
    }


def _session(match: Match, changed: Session) -> Match:
    sid = changed["session_id"]
    session: Session = {**match["sessions"].get(sid, changed), **changed}
    return {**match, "sessions": {**match["sessions"], sid: session}}


def on_session_scheduled(current: Match | None, event: SessionScheduled) -> Match:
    match = base(current, event.match_id)
    match["program_id"] = match["program_id"] or event.program_id
    match["mentor_id"] = match["mentor_id"] or event.mentor_id
    match["mentee_id"] = match["mentee_id"] or event.mentee_id
    session = Session(
        session_id=event.session_id,
        starts_at=event.starts_at.isoformat(),
        status=SessionStatus.SCHEDULED,
        sequence=event.sequence,
    )
    if event.format is not None:
        session["format"] = str(event.format)
    if event.due_at is not None:
        session["due_at"] = event.due_at.isoformat()
    if event.cohort_id:
        match["cohort_id"] = event.cohort_id
    return _session(match, session)


def on_session_completed(current: Match | None, event: SessionCompleted, now: datetime) -> Match:
    return _session(
        base(current, event.match_id),
        Session(
            session_id=event.session_id,
            status=SessionStatus.COMPLETED,
            completed_at=now.isoformat(),
        ),
    )


def on_session_missed(current: Match | None, event: SessionMissed) -> Match:
    missed = Session(session_id=event.session_id, status=SessionStatus.MISSED)
    return _session(base(current, event.match_id), missed)


def on_feedback(current: Match | None, event: FeedbackSubmitted) -> Match | None:
    """The latest revision of each request counts."""
    match = base(current, event.match_id)
    known = match["feedback"].get(event.request_id)
    if known is not None and known["revision"] >= event.revision:
        return None
    entry = Answer(
        role=str(event.role),
        participant_id=event.participant_id,
        session_id=event.session_id,
        rubric={str(k): v for k, v in event.rubric.items()},
        rating=event.rating,
        revision=event.revision,
    )
    return {**match, "feedback": {**match["feedback"], event.request_id: entry}}


def on_report(current: Match | None, event: SessionReportFiled) -> Match:
    match = base(current, event.match_id)
    return {**match, "items": match["items"] + event.action_item_count}


def on_item_done(current: Match | None, event: ActionItemCompleted) -> Match:
    match = base(current, event.match_id)
    return {**match, "items_done": match["items_done"] + 1}


def on_goal(current: Match | None, event: GoalProgressRecorded) -> Match:
    match = base(current, event.match_id)
    match["mentee_id"] = match["mentee_id"] or event.mentee_id
    return {**match, "goals": {**match["goals"], event.goal_id: str(event.status)}}


def mentee_rubric(match: Match) -> list[float]:
    """Each mentee answer's rubric average, in session order: how sessions felt."""
    answers = [f for f in match["feedback"].values() if f["role"] == "mentee" and f["rubric"]]
    starts = {sid: s.get("starts_at", "") for sid, s in match["sessions"].items()}
    answers.sort(key=lambda f: starts.get(f["session_id"], ""))
    return [sum(f["rubric"].values()) / len(f["rubric"]) for f in answers]


def falling(scores: list[float], window: int = 3, drop: float = 0.5) -> bool:
    """The last `window` answers each lower than the one before, by `drop` in all."""
    recent = scores[-window:]
    if len(recent) < window:
        return False
    return all(b < a for a, b in itertools.pairwise(recent)) and recent[0] - recent[-1] >= drop


def completed_sessions(match: Match) -> int:
    return sum(1 for s in match["sessions"].values() if s.get("status") == SessionStatus.COMPLETED)
