"""Examples for tests: a valid published program, so each suite states only the rules
it is about, and an aggregate decision with outbox entries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mentornet_chassis.store.aggregates import Decision, State
from mentornet_contracts import new_envelope
from mentornet_contracts.events.participants import ParticipantWithdrawn
from mentornet_contracts.events.programs import ProgramPublished

PROGRAM: dict[str, Any] = {
    "program_id": "prog-1",
    "name": "Platform mentoring",
    "tier": "standard",
    "cadence": {"sessions_per_month": 2, "session_minutes": 60},
    "duration_weeks": 12,
    "max_active_mentees_per_mentor": 3,
    "max_monthly_hours_per_mentor": 8,
    "approval_mode": "auto",
    "matching_weights": {"skills": 1.0},
    "conflict_rules": {"exclude_same_manager_line": False, "exclude_same_org_unit": False},
    "qa_sample_rate": 0.1,
    "escalation": {
        "missed_sessions_in_a_row": 2,
        "days_without_activity": 21,
        "low_rubric_average": 2.5,
        "days_to_accept_proposal": 7,
    },
}


def program_published(**changes: Any) -> ProgramPublished:
    """The example program with `changes` (whole top-level fields) over it."""
    return ProgramPublished.model_validate(PROGRAM | changes)


def withdrawals(pid: str, count: int) -> Callable[[State | None], Decision]:
    """A decision emitting `count` withdrawals of `pid`, reasons r0, r1, ... (an
    aggregate with that many outbox entries, in order)."""

    def decide(state: State | None) -> Decision:
        events = [
            new_envelope(ParticipantWithdrawn(participant_id=pid, reason=f"r{i}"), "t")
            for i in range(count)
        ]
        return Decision(state={"n": count}, events=events)

    return decide
