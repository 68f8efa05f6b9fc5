"""Matches with sessions, requests and reports for feedback's unit tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mentornet_contracts.events.sessions import SessionScheduled
from mentornet_feedback.domain import matches, requests

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


def match_with(*sessions: str) -> matches.Match:
    state: Any = None
    for n, session in enumerate(sessions):
        state = matches.on_scheduled(
            state, scheduled(session, NOW - timedelta(days=30 - 7 * n), n + 1)
        )
    for session in sessions:
        state, _ = requests.requested(state, session, 1, NOW, WINDOWS)
    assert state is not None
    return dict(state)


def answer(
    state: matches.Match, session: str, person: str, rubric: dict[str, int], at: datetime = NOW
) -> matches.Match:
    request_id = matches.short_id("fr", session, person)
    answered, _ = requests.submit(state, request_id, person, {}, (rubric, None), at, WINDOWS)
    return answered
