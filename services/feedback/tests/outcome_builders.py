"""A confirmed match with a mentee whose goals have milestones and target skills, for
the outcome rules' unit tests."""

from __future__ import annotations

from datetime import date, timedelta

from mentornet_contracts.events.common import Role
from mentornet_contracts.events.matches import MatchConfirmed, MatchEnded
from mentornet_feedback.domain import assessments, milestones, outcomes
from mentornet_feedback.domain.assessments import AssessmentBody
from mentornet_feedback.domain.milestones import CompletionBody
from mentornet_feedback.domain.outcomes import Goals
from mentornet_feedback.domain.state import Match, Person, PersonStatus

from .builders import NOW

TODAY = NOW.date()


def goal(goal_id: str, *skills: str, milestones: int = 2) -> dict[str, object]:
    return {
        "goal_id": goal_id,
        "statement": f"Goal {goal_id}",
        "target_skills": [{"skill_id": s, "level": 4} for s in skills],
        "measurable_outcome": "Two reviews led",
        "target_date": (TODAY + timedelta(days=90)).isoformat(),
        "milestones": [
            {
                "milestone_id": f"m{n}",
                "statement": f"Step {n}",
                "due_date": (TODAY + timedelta(days=10 * n)).isoformat(),
            }
            for n in range(1, milestones + 1)
        ],
    }


def mentee(*goals: dict[str, object], baseline: dict[str, int] | None = None) -> Person:
    return {
        "participant_id": "mentee-1",
        "program_id": "prog-1",
        "status": PersonStatus.ACTIVE,
        "goals": list(goals),
        "pivots": [],
        "skill_baseline": [{"skill_id": k, "level": v} for k, v in (baseline or {}).items()],
    }


PERSON = mentee(
    goal("g1", "python", "testing"),
    goal("g2", "leadership"),
    baseline={"python": 2, "testing": 1, "leadership": 3, "cooking": 5},
)


def confirmed_event(match_id: str = "m-1") -> MatchConfirmed:
    return MatchConfirmed(
        match_id=match_id, mentee_id="mentee-1", mentor_id="mentor-1", program_id="prog-1"
    )


def ended_event(reason: str = "completed") -> MatchEnded:
    return MatchEnded.model_validate(
        {
            "match_id": "m-1",
            "mentee_id": "mentee-1",
            "mentor_id": "mentor-1",
            "program_id": "prog-1",
            "reason": reason,
            "detail": "ran its course",
        }
    )


def confirmed(person: Person = PERSON) -> Match:
    match, _ = outcomes.on_confirmed(None, confirmed_event(), person, NOW)
    assert match is not None
    return match


def ended(match: Match) -> Match:
    done = outcomes.on_ended(match, ended_event(), NOW)
    assert done is not None
    return done


def goals_of(match: Match, person: Person = PERSON) -> Goals:
    return outcomes.goals_of(match, person)


def past(days: int) -> date:
    return TODAY - timedelta(days=days)


def completed(match: Match, milestone: str = "m1", days_ago: int = 1) -> Match:
    body = CompletionBody(completed_on=past(days_ago), evidence="Led the review")
    done, _ = milestones.complete(
        match, goals_of(match), ("g1", milestone), body, "mentee-1", "t1", NOW
    )
    return done


def assessed(match: Match, role: Role, stage: str, **levels: int) -> Match:
    body = AssessmentBody.model_validate(
        {
            "stage": stage,
            "levels": [{"skill_id": k, "level": v} for k, v in levels.items()],
            **({"goal_id": "g1", "milestone_id": "m1"} if stage == "milestone" else {}),
        }
    )
    done, _ = assessments.assess(match, goals_of(match), role, body, NOW)
    return done
