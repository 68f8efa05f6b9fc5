"""SMART goals: what intake asks of every goal a mentee registers or sets.

A goal needs a measurable outcome, a target date after today and 1 to MAX_MILESTONES
milestones, each with its own id and a due date between today and the target date
(both inclusive). Events keep these optional (goals recorded before milestones existed
have none); the intake API enforces them. "Today" is the caller's: the service clock's
date, never read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from mentornet_chassis.errors import Invalid, Problem, error_body
from mentornet_contracts.events.common import MAX_MILESTONES, Goal, Milestone

NO_OUTCOME = "a SMART goal needs a measurable outcome: how you will know it is met"
NO_TARGET = "a SMART goal needs a target date"
NO_MILESTONES = f"a SMART goal needs 1 to {MAX_MILESTONES} milestones, each with a due date"


class NotSmart(Invalid):
    """Goals that are not SMART (422): the first problem at the top of the body, every
    problem under `errors`."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems[0]["field"], problems[0]["reason"])
        self.problems = list(problems)

    @property
    def body(self) -> dict[str, Any]:
        return error_body(self.error, self.problems)


def _problem(field: str, reason: str) -> Problem:
    return {"field": field, "reason": reason}


def _target_date(goal: Goal, today: date, path: str) -> list[Problem]:
    if goal.target_date is None:
        return [_problem(f"{path}.target_date", NO_TARGET)]
    if goal.target_date <= today:
        reason = f"the target date {goal.target_date} must be after today ({today})"
        return [_problem(f"{path}.target_date", reason)]
    return []


def _latest_due(goal: Goal, today: date) -> date | None:
    """The last day a milestone may be due: the target date, when it is a valid one."""
    return goal.target_date if goal.target_date and goal.target_date > today else None


def _milestone(
    milestone: Milestone, seen: set[str], today: date, last: date | None, path: str
) -> list[Problem]:
    problems = []
    if milestone.milestone_id in seen:
        reason = f"milestone id {milestone.milestone_id!r} is repeated in this goal"
        problems.append(_problem(f"{path}.milestone_id", reason))
    seen.add(milestone.milestone_id)
    due = milestone.due_date
    if due < today or (last is not None and due > last):
        until = f"the goal's target date ({last})" if last else "the goal's target date"
        reason = f"the due date {due} must be between today ({today}) and {until}"
        problems.append(_problem(f"{path}.due_date", reason))
    return problems


def _milestones(goal: Goal, today: date, path: str) -> list[Problem]:
    if not goal.milestones:
        return [_problem(f"{path}.milestones", NO_MILESTONES)]
    seen: set[str] = set()
    last = _latest_due(goal, today)
    return [
        problem
        for index, milestone in enumerate(goal.milestones)
        for problem in _milestone(milestone, seen, today, last, f"{path}.milestones[{index}]")
    ]


def goal_problems(goal: Goal, today: date, path: str) -> list[Problem]:
    """Everything that keeps one goal from being SMART, each naming its field under `path`."""
    outcome = (
        []
        if goal.measurable_outcome.strip()
        else [_problem(f"{path}.measurable_outcome", NO_OUTCOME)]
    )
    return [*outcome, *_target_date(goal, today, path), *_milestones(goal, today, path)]


def problems(goals: Sequence[Goal], today: date, path: str = "goals") -> list[Problem]:
    """Every goal's problems, each naming its field (`goals[1].target_date`)."""
    return [
        problem
        for index, goal in enumerate(goals)
        for problem in goal_problems(goal, today, f"{path}[{index}]")
    ]


def check(goals: Sequence[Goal], today: date, path: str = "goals") -> None:
    """Refuse (NotSmart, 422) goals that are not SMART."""
    found = problems(goals, today, path)
    if found:
        raise NotSmart(found)
