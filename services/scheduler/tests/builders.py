"""Matches, sessions and programs for the scheduler's unit tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mentornet_contracts.events.matches import MatchConfirmed
from mentornet_contracts.events.programs import ProgramPublished
from mentornet_contracts.events.sessions import SessionType
from mentornet_scheduler.domain import matches
from mentornet_scheduler.domain.planning import Plan, Planned
from mentornet_scheduler.domain.state import Match
from mentornet_tooling.testing.examples import program_published

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
ZONES = {"mentor-1": "Europe/Berlin", "mentee-1": "America/New_York"}


def program(**changes: Any) -> ProgramPublished:
    base = {
        "name": "Platform",
        "cadence": {"sessions_per_month": 4, "session_minutes": 60},
        "duration_weeks": 8,
        "max_monthly_hours_per_mentor": 10,
    }
    return program_published(**(base | changes))


def confirmed_match(now: datetime = NOW) -> Match:
    event = MatchConfirmed(
        match_id="m-1", mentee_id="mentee-1", mentor_id="mentor-1", program_id="prog-1"
    )
    state = matches.confirmed(None, event, now)
    assert state is not None
    return {**state, "rules": matches.rules(program())}


def booked_match(*starts: datetime, now: datetime = NOW) -> Match:
    plan = Plan(
        tuple(
            Planned(i + 1, start, 60, SessionType.KICKOFF if i == 0 else SessionType.REGULAR)
            for i, start in enumerate(starts)
        )
    )
    state, _ = matches.booked(confirmed_match(now), plan, ZONES)
    return state
