"""SMART goals: what intake asks of every goal a mentee registers or sets.

A goal needs a measurable outcome, a target date after today and 1 to MAX_MILESTONES
milestones, each with its own id and a due date between today and the target date
(both inclusive). Events keep these optional (goals recorded before milestones existed
have none); the intake API enforces them. "Today" is the caller's: the service clock's
date, never read here.

A change of goals is checked against the goals it replaces (`before`): a goal exactly as
it was passes (it was checked when set, and later days make its dates past), and in a
changed goal only a new target date and new or moved milestones are checked against
today; every date must still fit the goal (milestones due by its target date).
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


def _target_date(goal: Goal, today: date, path: str, before: Goal | None) -> list[Problem]:
    if goal.target_date is None:
        return [_problem(f"{path}.target_date", NO_TARGET)]
    kept = before is not None and before.target_date == goal.target_date
    if goal.target_date <= today and not kept:
        reason = f"the target date {goal.target_date} must be after today ({today})"
        return [_problem(f"{path}.target_date", reason)]
    return []


def _due_dates(goal: Goal | None) -> set[tuple[str, date]]:
    """A goal's milestones as (id, due date): one the same in a change was not moved."""
    return {(m.milestone_id, m.due_date) for m in goal.milestones} if goal else set()


def _repeated(milestone: Milestone, seen: set[str], path: str) -> list[Problem]:
    if milestone.milestone_id not in seen:
        seen.add(milestone.milestone_id)
        return []
    reason = f"milestone id {milestone.milestone_id!r} is repeated in this goal"
    return [_problem(f"{path}.milestone_id", reason)]


def _misdated(
    milestone: Milestone, today: date, last: date | None, moved: bool, path: str
) -> list[Problem]:
    """Due before today (when `moved`: new or with a new due date) or after `last`."""
    due = milestone.due_date
    if (moved and due < today) or (last is not None and due > last):
        until = f"the goal's target date ({last})" if last else "the goal's target date"
        reason = f"the due date {due} must be between today ({today}) and {until}"
        return [_problem(f"{path}.due_date", reason)]
    return []


def _milestones(goal: Goal, today: date, path: str, before: Goal | None) -> list[Problem]:
    if not goal.milestones:
        return [_problem(f"{path}.milestones", NO_MILESTONES)]
    seen: set[str] = set()
    kept = _due_dates(before)
    valid_target = not _target_date(goal, today, path, before)
    last = goal.target_date if valid_target else None
    found = []
    for index, milestone in enumerate(goal.milestones):
        moved = (milestone.milestone_id, milestone.due_date) not in kept
        at = f"{path}.milestones[{index}]"
        found += [*_repeated(milestone, seen, at), *_misdated(milestone, today, last, moved, at)]
    return found


def goal_problems(goal: Goal, today: date, path: str, before: Goal | None = None) -> list[Problem]:
    """Everything that keeps one goal from being SMART, each naming its field under `path`;
    `before`: the goal as it was (same id), whose unchanged dates are not held to today."""
    if before is not None and before == goal:
        return []
    outcome = (
        []
        if goal.measurable_outcome.strip()
        else [_problem(f"{path}.measurable_outcome", NO_OUTCOME)]
    )
    return [
        *outcome,
        *_target_date(goal, today, path, before),
        *_milestones(goal, today, path, before),
    ]


def problems(
    goals: Sequence[Goal], today: date, path: str = "goals", before: Sequence[Goal] = ()
) -> list[Problem]:
    """Every goal's problems, each naming its field (`goals[1].target_date`); `before`:
    the goals being replaced (a change of goals), matched by goal id."""
    was = {goal.goal_id: goal for goal in before}
    return [
        problem
        for index, goal in enumerate(goals)
        for problem in goal_problems(goal, today, f"{path}[{index}]", was.get(goal.goal_id))
    ]


def check(
    goals: Sequence[Goal], today: date, path: str = "goals", before: Sequence[Goal] = ()
) -> None:
    """Refuse (NotSmart, 422) goals that are not SMART (`before`: as `problems`)."""
    found = problems(goals, today, path, before)
    if found:
        raise NotSmart(found)
