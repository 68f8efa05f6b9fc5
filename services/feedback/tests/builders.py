"""Matches with sessions, requests and reports for feedback's unit tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mentornet_contracts.events.sessions import SessionScheduled
from mentornet_feedback.domain import matches, requests
from mentornet_feedback.domain.state import Match, Person, PersonStatus

NOW = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
WINDOWS = requests.Windows()


def scheduled(session: str, starts: datetime, sequence: int = 1) -> SessionScheduled:
    return SessionScheduled.model_validate(
        {
            "session_id": session,
            "match_id": "m-1",
            "program_id": "prog-1",
            "mentor_id": "mentor-1",
            "mentee_id": "mentee-1",
            "session_type": "regular",
            "starts_at": starts.isoformat(),
            "duration_minutes": 60,
            "local_times": [],
            "sequence": sequence,
        }
    )


def match_with(*sessions: str) -> Match:
    state: Match | None = None
    for n, session in enumerate(sessions):
        state = matches.on_scheduled(
            state, scheduled(session, NOW - timedelta(days=30 - 7 * n), n + 1)
        )
    assert state is not None
    for session in sessions:
        state, _ = requests.requested(state, session, 1, NOW, WINDOWS)
    return {**state}


def answer(
    state: Match, session: str, person: str, rubric: dict[str, int], at: datetime = NOW
) -> Match:
    request_id = matches.short_id("fr", session, person)
    answered, _ = requests.submit(state, request_id, person, {}, (rubric, None), at, WINDOWS)
    return answered


def mentee_with(*goal_ids: str) -> Person:
    """A mentee as feedback knows them, with these goals (only their ids)."""
    return {
        "participant_id": "mentee-1",
        "status": PersonStatus.ACTIVE,
        "goals": [{"goal_id": goal_id} for goal_id in goal_ids],
        "pivots": [],
    }
