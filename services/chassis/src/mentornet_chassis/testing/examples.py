"""A valid published program for tests, so each suite states only the rules it is
about."""

from __future__ import annotations

from typing import Any

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
