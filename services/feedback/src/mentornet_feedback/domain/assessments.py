"""Skill assessments: levels (1-5) of the skills the mentee's goals target. The mentee
assesses themself at a milestone review (naming a completed milestone) and at the
end; the mentor at the end only. End assessments open once the match has ended, one
per assessor. The baseline is intake's (outcomes.py), never posted here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from mentornet_chassis.errors import Conflict, Forbidden, Invalid
from mentornet_contracts.events.common import MAX_SKILLS, Id, Role, SkillLevel
from mentornet_contracts.events.outcomes import AssessmentStage, SkillAssessed
from pydantic import BaseModel, ConfigDict, Field

from . import milestones, outcomes
from .outcome_state import Assessment, Outcomes
from .outcomes import Goals
from .state import Match


class AssessmentBody(BaseModel):
    """The body of POST /matches/{match_id}/skill-assessments."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "stage": "milestone",
                    "levels": [
                        {"skill_id": "system-design", "level": 3},
                        {"skill_id": "public-speaking", "level": 2},
                    ],
                    "goal_id": "g1",
                    "milestone_id": "m1",
                }
            ]
        },
    )

    stage: Literal["milestone", "end"] = Field(
        description="milestone: a review of a completed milestone (the mentee); end: once "
        "the match has ended (the mentee and the mentor, once each)."
    )
    levels: tuple[SkillLevel, ...] = Field(min_length=1, max_length=MAX_SKILLS)
    goal_id: Id | None = Field(default=None, description="The reviewed milestone's goal.")
    milestone_id: Id | None = Field(default=None, description="The milestone reviewed.")


def _check_levels(levels: tuple[SkillLevel, ...], goals: Goals) -> None:
    targets, seen = outcomes.target_skills(goals), set()
    for n, level in enumerate(levels):
        if level.skill_id in seen:
            raise Invalid(f"levels[{n}].skill_id", f"{level.skill_id} is given twice")
        if level.skill_id not in targets:
            raise Invalid(
                f"levels[{n}].skill_id", f"{level.skill_id} is not a skill the goals target"
            )
        seen.add(level.skill_id)


def _shown(assessment: Assessment) -> dict[str, object]:
    return dict(assessment)


def _check_end(match: Match, body: AssessmentBody, role: Role) -> None:
    if body.goal_id is not None or body.milestone_id is not None:
        field = "goal_id" if body.goal_id is not None else "milestone_id"
        raise Invalid(field, "an end assessment names no milestone")
    outcomes.ended_required(match, "the end assessment")
    for done in outcomes.outcomes_of(match)["assessments"]:
        if done["stage"] == AssessmentStage.END and done["assessor"] == role:
            raise Conflict("stage", f"the {role}'s end assessment is in", current=_shown(done))


def _check_review(match: Match, body: AssessmentBody, goals: Goals) -> None:
    if body.goal_id is None or body.milestone_id is None:
        field = "goal_id" if body.goal_id is None else "milestone_id"
        raise Invalid(field, "a milestone review names the goal and the milestone")
    outcomes.milestone_in(outcomes.goal_in(goals, body.goal_id), body.milestone_id)
    if milestones.completion_of(match, body.goal_id, body.milestone_id) is None:
        raise Conflict(
            "milestone_id", f"milestone {body.milestone_id} is not completed yet", completed=False
        )
    for done in outcomes.outcomes_of(match)["assessments"]:
        if (done.get("goal_id"), done.get("milestone_id")) == (body.goal_id, body.milestone_id):
            raise Conflict("milestone_id", "this milestone was reviewed", current=_shown(done))


def assess(
    match: Match, goals: Goals, role: Role, body: AssessmentBody, now: datetime
) -> tuple[Match, SkillAssessed]:
    """`role`: who assesses (the mentee or the mentor of the match)."""
    if role == Role.MENTOR and body.stage == "milestone":
        raise Invalid("stage", "the mentor assesses at the end only")
    _check_levels(body.levels, goals)
    if body.stage == "end":
        _check_end(match, body, role)
    else:
        _check_review(match, body, goals)
    stage = AssessmentStage(body.stage)
    done: Assessment = {
        "assessor": role,
        "stage": stage,
        "levels": {level.skill_id: level.level for level in body.levels},
        "at": now.isoformat(),
    }
    if body.goal_id is not None and body.milestone_id is not None:
        done["goal_id"], done["milestone_id"] = body.goal_id, body.milestone_id
    found = outcomes.outcomes_of(match)
    event = SkillAssessed(
        match_id=match["match_id"],
        mentee_id=match["mentee_id"],
        program_id=match["program_id"],
        assessor=role,
        stage=stage,
        levels=body.levels,
        goal_id=body.goal_id,
        milestone_id=body.milestone_id,
    )
    changed: Outcomes = {**found, "assessments": [*found["assessments"], done]}
    return outcomes.with_outcomes(match, changed), event


def role_of(match: Match, reader: str) -> Role:
    """The match role of a caller the policy let through as its mentor or mentee."""
    if reader == "mentor":
        return Role.MENTOR
    if reader == "mentee":
        return Role.MENTEE
    raise Forbidden("match_id", "only the match's mentor or mentee records this")
