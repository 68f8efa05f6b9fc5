"""Milestones reached: the mentee or the mentor records that a milestone of one of the
match's goals was reached, on a date not in the future, with evidence. Once per
milestone. The evidence is words (kept apart, written.py); milestone.completed carries
the dates only, so QA can tell whether it was reached on time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from mentornet_chassis.errors import Conflict, Invalid
from mentornet_contracts.events.outcomes import MilestoneCompleted
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from . import outcomes
from .outcome_state import Completion
from .outcomes import GoalDoc, Goals
from .state import Match


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Evidence = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_not_blank)]


class CompletionBody(BaseModel):
    """The body of POST /matches/{match_id}/goals/{goal_id}/milestones/{milestone_id}/
    completion."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "completed_on": "2026-11-20",
                    "evidence": "Shadowed the checkout and ledger design reviews; my notes and"
                    " questions are in the team wiki.",
                }
            ]
        },
    )

    completed_on: date = Field(description="When it was reached (not in the future).")
    evidence: Evidence = Field(description="What shows it was reached.")


def key(goal_id: str, milestone_id: str) -> str:
    return f"{goal_id}/{milestone_id}"


def completion_of(match: Match, goal_id: str, milestone_id: str) -> Completion | None:
    return outcomes.outcomes_of(match)["completions"].get(key(goal_id, milestone_id))


def _check_new(match: Match, goal_id: str, milestone_id: str, on: date, today: date) -> None:
    """Refuses a date in the future (422) and a milestone already completed (409)."""
    if on > today:
        raise Invalid("completed_on", f"is in the future (today is {today})")
    done = completion_of(match, goal_id, milestone_id)
    if done is not None:
        shown = {k: v for k, v in done.items() if k != "text_id"}
        reason = f"already completed on {done['completed_on']}"
        raise Conflict("milestone_id", reason, current=shown)


def _announced(match: Match, completion: Completion, goal: GoalDoc) -> MilestoneCompleted:
    return MilestoneCompleted(
        match_id=match["match_id"],
        mentee_id=match["mentee_id"],
        program_id=match["program_id"],
        goal_id=completion["goal_id"],
        milestone_id=completion["milestone_id"],
        due_date=date.fromisoformat(completion["due_date"]),
        completed_on=date.fromisoformat(completion["completed_on"]),
        milestones_in_goal=len(outcomes.milestones_of(goal)),
    )


def complete(
    match: Match,
    goals: Goals,
    where: tuple[str, str],
    body: CompletionBody,
    by: str,
    text_id: str,
    now: datetime,
) -> tuple[Match, MilestoneCompleted]:
    """`where`: (goal id, milestone id); `by`: who records it; `text_id`: the evidence."""
    goal_id, milestone_id = where
    goal = outcomes.goal_in(goals, goal_id)
    milestone = outcomes.milestone_in(goal, milestone_id)
    _check_new(match, goal_id, milestone_id, body.completed_on, now.date())
    completion: Completion = {
        "goal_id": goal_id,
        "milestone_id": milestone_id,
        "due_date": date.fromisoformat(str(milestone["due_date"])).isoformat(),
        "completed_on": body.completed_on.isoformat(),
        "recorded_by": by,
        "recorded_at": now.isoformat(),
        "text_id": text_id,
    }
    found = outcomes.outcomes_of(match)
    completions = {**found["completions"], key(*where): completion}
    changed = outcomes.with_outcomes(match, {**found, "completions": completions})
    return changed, _announced(match, completion, goal)
