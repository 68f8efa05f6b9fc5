"""Goal adjustments: the match's mentor proposes a change to one of the mentee's goals
(its measurable outcome, target date or milestones), the mentee accepts or declines
it. One open proposal per goal; an accepted change makes the goal the match's goal
from then on (outcomes.py's plan), which milestone completions and reviews refer to.
A proposal's note is words (kept apart, written.py); events carry the change only.
"""

from __future__ import annotations

from datetime import date, datetime

from mentornet_chassis.errors import Conflict, Invalid, NotFound
from mentornet_contracts.events.common import MAX_MILESTONES, Goal, Milestone
from mentornet_contracts.events.outcomes import (
    GoalAdjustmentAnswered,
    GoalAdjustmentProposed,
    GoalChange,
)
from pydantic import BaseModel, ConfigDict, Field

from . import outcomes
from .matches import short_id
from .outcome_state import Adjustment, Outcomes, ProposalStatus
from .outcomes import GoalDoc, Goals
from .state import Match

MAX_ADJUSTMENTS = 50
"""Proposals a match keeps; a mentor proposing more is refused (409)."""


class AdjustmentBody(BaseModel):
    """The body of POST /matches/{match_id}/goals/{goal_id}/adjustments: what changes
    (at least one of the three), and a note for the mentee."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "target_date": "2030-09-30",
                    "milestones": [
                        {
                            "milestone_id": "m1",
                            "statement": "Shadow two design reviews",
                            "due_date": "2030-05-31",
                        },
                        {
                            "milestone_id": "m2",
                            "statement": "Lead the payments API design review",
                            "due_date": "2030-08-31",
                        },
                    ],
                    "note": "The reorg moved the review cycle, so the second milestone gets the"
                    " summer.",
                }
            ]
        },
    )

    measurable_outcome: str | None = Field(default=None, min_length=1, max_length=500)
    target_date: date | None = None
    milestones: tuple[Milestone, ...] | None = Field(
        default=None, min_length=1, max_length=MAX_MILESTONES, description="All of them."
    )
    note: str = Field(default="", max_length=2000, description="Why, for the mentee.")

    def change(self) -> GoalChange:
        return GoalChange(
            measurable_outcome=self.measurable_outcome,
            target_date=self.target_date,
            milestones=self.milestones,
        )


class AnswerBody(BaseModel):
    """The body of POST .../adjustments/{proposal_id}/answer."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"examples": [{"accept": True}]}
    )

    accept: bool


def _date(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _milestones_of(goal: GoalDoc) -> list[Milestone]:
    return [Milestone.model_validate(m) for m in outcomes.milestones_of(goal)]


def _check_change(change: GoalChange, goal: GoalDoc, today: date) -> None:
    """SMART, as intake asks of a goal: a new target date after today; each new or
    changed milestone (its id, its due date) due from today on; every milestone the
    goal will have due by its (new or current) target date."""
    if change == GoalChange():
        raise Invalid("body", "name at least one of measurable_outcome, target_date, milestones")
    if change.target_date is not None and change.target_date <= today:
        raise Invalid("target_date", f"must be after today ({today})")
    target = change.target_date or _date(goal.get("target_date"))
    if change.milestones is None and change.target_date is not None:
        _check_kept(_milestones_of(goal), change.target_date)
    elif change.milestones is not None:
        _check_milestones(change.milestones, _milestones_of(goal), target, today)


def _check_kept(kept: list[Milestone], target: date) -> None:
    """A new target date keeps the goal's milestones: none may be due after it."""
    late = [m for m in kept if m.due_date > target]
    if late:
        reason = f"is before milestone {late[0].milestone_id}'s due date {late[0].due_date}"
        raise Invalid("target_date", reason)


def _check_milestones(
    milestones: tuple[Milestone, ...], current: list[Milestone], target: date | None, today: date
) -> None:
    seen: set[str] = set()
    unchanged = {(m.milestone_id, m.due_date) for m in current}
    for n, milestone in enumerate(milestones):
        if milestone.milestone_id in seen:
            raise Invalid(f"milestones[{n}].milestone_id", "given twice")
        seen.add(milestone.milestone_id)
        due, field = milestone.due_date, f"milestones[{n}].due_date"
        if due < today and (milestone.milestone_id, due) not in unchanged:
            raise Invalid(field, f"is before today ({today})")
        if target is not None and due > target:
            raise Invalid(field, f"is after the goal's target date {target}")


def _bare(proposal: Adjustment) -> dict[str, object]:
    return {k: v for k, v in proposal.items() if k != "text_id"}


def _open_of(match: Match, goal_id: str) -> Adjustment | None:
    found = outcomes.outcomes_of(match)["adjustments"].values()
    return next(
        (a for a in found if a["goal_id"] == goal_id and a["status"] == ProposalStatus.PROPOSED),
        None,
    )


def propose(
    match: Match,
    goals: Goals,
    goal_id: str,
    body: AdjustmentBody,
    text_id: str | None,
    now: datetime,
) -> tuple[Match, GoalAdjustmentProposed]:
    """The mentor's proposal (`text_id`: its note's words, if any)."""
    goal = outcomes.goal_in(goals, goal_id)
    outcomes.active_required(match, "goal adjustments")
    change = body.change()
    _check_change(change, goal, now.date())
    found = outcomes.outcomes_of(match)
    open_one = _open_of(match, goal_id)
    if open_one is not None:
        raise Conflict("goal_id", f"goal {goal_id} has an open proposal", open=_bare(open_one))
    if len(found["adjustments"]) >= MAX_ADJUSTMENTS:
        raise Conflict("proposal_id", f"a match keeps at most {MAX_ADJUSTMENTS} proposals")
    proposal_id = short_id("ga", match["match_id"], goal_id, str(len(found["adjustments"])))
    proposal: Adjustment = {
        "proposal_id": proposal_id,
        "goal_id": goal_id,
        "proposed_at": now.isoformat(),
        "change": change.model_dump(mode="json", exclude_none=True),
        "status": ProposalStatus.PROPOSED,
    }
    if text_id is not None:
        proposal["text_id"] = text_id
    adjustments = {**found["adjustments"], proposal_id: proposal}
    event = GoalAdjustmentProposed(
        match_id=match["match_id"],
        mentee_id=match["mentee_id"],
        goal_id=goal_id,
        proposal_id=proposal_id,
        change=change,
    )
    return outcomes.with_outcomes(match, {**found, "adjustments": adjustments}), event


def adjusted(goal: GoalDoc, change: dict[str, object]) -> Goal:
    return Goal.model_validate({**goal, **change})


def answer(
    match: Match, goals: Goals, goal_id: str, proposal_id: str, accept: bool, now: datetime
) -> tuple[Match, GoalAdjustmentAnswered]:
    """The mentee's answer; accepted, the changed goal is the match's goal."""
    found = outcomes.outcomes_of(match)
    proposal = found["adjustments"].get(proposal_id)
    if proposal is None or proposal["goal_id"] != goal_id:
        raise NotFound("proposal_id", f"goal {goal_id} has no proposal {proposal_id}")
    if proposal["status"] != ProposalStatus.PROPOSED:
        reason = f"already {proposal['status']}"
        raise Conflict("proposal_id", reason, proposal=_bare(proposal))
    status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    answered: Adjustment = {**proposal, "status": status, "answered_at": now.isoformat()}
    changed: Outcomes = {**found, "adjustments": {**found["adjustments"], proposal_id: answered}}
    goal = adjusted(outcomes.goal_in(goals, goal_id), proposal["change"]) if accept else None
    if goal is not None:
        changed["plan"] = {**found["plan"], goal_id: goal.model_dump(mode="json")}
    event = GoalAdjustmentAnswered(
        match_id=match["match_id"],
        mentee_id=match["mentee_id"],
        goal_id=goal_id,
        proposal_id=proposal_id,
        accepted=accept,
        goal=goal,
    )
    return outcomes.with_outcomes(match, changed), event
