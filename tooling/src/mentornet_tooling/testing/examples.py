"""Examples for tests: a valid published program, so each suite states only the rules
it is about, a SMART goal as of a test's today, and an aggregate decision with outbox
entries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
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


def smart_goal(
    today: date,
    goal_id: str = "g1",
    *,
    target_skills: Sequence[dict[str, Any]] = ({"skill_id": "python", "level": 4},),
    milestones: int = 2,
    weeks: int = 26,
    **fields: Any,
) -> dict[str, Any]:
    """A goal intake accepts on `today` (the clock of the service it is sent to): a
    measurable outcome, a target date `weeks` ahead and `milestones` milestones m1, m2, ...
    spread evenly up to it (the last due on the target date). `fields` override keys."""
    days = weeks * 7
    goal = {
        "goal_id": goal_id,
        "statement": "Ship a service on my own",
        "target_skills": list(target_skills),
        "measurable_outcome": "One service in production, designed and deployed by me",
        "target_date": (today + timedelta(days=days)).isoformat(),
        "milestones": [
            {
                "milestone_id": f"m{n}",
                "statement": f"Step {n} of {milestones} done",
                "due_date": (today + timedelta(days=days * n // milestones)).isoformat(),
            }
            for n in range(1, milestones + 1)
        ],
    }
    return goal | fields


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
