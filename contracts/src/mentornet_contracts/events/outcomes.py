"""Outcome events on mentornet.feedback, keyed by match id. Published by feedback.

What a match achieved, as the two people record it: goal adjustments the mentor
proposes and the mentee answers, milestones completed, skill self-assessments (the
baseline at enrolment, at milestone reviews, at the end) and the mentor's end
assessment, and the end-of-match survey. Like every feedback event they carry
scores, dates and ids, never the words people wrote (evidence and comments stay in
the feedback service, where erasure reaches them).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from ..event import Event
from .common import MAX_MILESTONES, MAX_SKILLS, Goal, Id, Milestone, Role, SkillLevel, Value

MATCH_ID = Field(description="Match id (the record key).", examples=["m-51c0"])
MENTEE_ID = Field(description="The match's mentee.", examples=["p-7f3a"])
PROGRAM_ID = Field(description="Program the match belongs to.", examples=["prog-eng-2027"])
GOAL_ID = Field(description="Goal id, unique within the mentee.", examples=["g1"])
PROPOSAL_ID = Field(description="Adjustment proposal id.", examples=["ga-41d2"])
END_SURVEY_ID = "end-of-match"


class AssessmentStage(StrEnum):
    BASELINE = "baseline"
    """The mentee's levels at enrolment (intake's skill_baseline)."""
    MILESTONE = "milestone"
    """At a milestone review."""
    END = "end"
    """When the match ended."""


class GoalChange(Value):
    """What an adjustment changes; absent fields stay as they are."""

    measurable_outcome: str | None = Field(
        default=None,
        min_length=1,
        max_length=500,
        description="New measurable outcome.",
        examples=["Lead one review with positive feedback"],
    )
    target_date: date | None = Field(
        default=None, description="New target date.", examples=["2027-04-30"]
    )
    milestones: tuple[Milestone, ...] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_MILESTONES,
        description="The goal's milestones after the change (all of them).",
        examples=[
            [{"milestone_id": "m1", "statement": "Shadow a review", "due_date": "2027-02-15"}]
        ],
    )


class _OutcomeEvent(Event):
    key_field: ClassVar[str] = "match_id"


class GoalAdjustmentProposed(_OutcomeEvent):
    """The mentor proposed a change to one of the mentee's goals; it applies only once
    the mentee accepts."""

    event_type: ClassVar[str] = "mentornet.goal.adjustment.proposed.v1"
    match_id: Id = MATCH_ID
    mentee_id: Id = MENTEE_ID
    goal_id: Id = GOAL_ID
    proposal_id: Id = PROPOSAL_ID
    change: GoalChange = Field(
        description="What would change.", examples=[{"target_date": "2027-04-30"}]
    )


class GoalAdjustmentAnswered(_OutcomeEvent):
    """The mentee accepted or declined a proposed adjustment; `goal` is the goal as it
    now stands when accepted."""

    event_type: ClassVar[str] = "mentornet.goal.adjustment.answered.v1"
    match_id: Id = MATCH_ID
    mentee_id: Id = MENTEE_ID
    goal_id: Id = GOAL_ID
    proposal_id: Id = PROPOSAL_ID
    accepted: bool = Field(description="Whether the mentee accepted.", examples=[True])
    goal: Goal | None = Field(
        default=None,
        description="The goal after the change (accepted only).",
        examples=[{"goal_id": "g1", "statement": "Lead a review", "target_skills": []}],
    )


class MilestoneCompleted(_OutcomeEvent):
    """A milestone was recorded as reached, with evidence (kept in feedback)."""

    event_type: ClassVar[str] = "mentornet.milestone.completed.v1"
    match_id: Id = MATCH_ID
    mentee_id: Id = MENTEE_ID
    program_id: Id = PROGRAM_ID
    goal_id: Id = GOAL_ID
    milestone_id: Id = Field(description="The milestone reached.", examples=["m1"])
    due_date: date = Field(description="When it was due.", examples=["2027-01-31"])
    completed_on: date = Field(description="When it was reached.", examples=["2027-01-28"])
    milestones_in_goal: int = Field(
        ge=1, le=MAX_MILESTONES, description="Milestones the goal has.", examples=[3]
    )


class SkillAssessed(_OutcomeEvent):
    """Levels of the mentee's target skills, as the mentee or the mentor sees them."""

    event_type: ClassVar[str] = "mentornet.skill.assessed.v1"
    match_id: Id = MATCH_ID
    mentee_id: Id = MENTEE_ID
    program_id: Id = PROGRAM_ID
    assessor: Role = Field(
        description="Who assessed: the mentee or the mentor.", examples=["mentee"]
    )
    stage: AssessmentStage = Field(description="When in the match.", examples=["end"])
    levels: tuple[SkillLevel, ...] = Field(
        min_length=1,
        max_length=MAX_SKILLS,
        description="The assessed level of each skill.",
        examples=[[{"skill_id": "system-design", "level": 3}]],
    )
    goal_id: Id | None = Field(
        default=None, description="The goal of a milestone review.", examples=["g1"]
    )
    milestone_id: Id | None = Field(
        default=None, description="The milestone reviewed.", examples=["m1"]
    )


class EndSurveySubmitted(_OutcomeEvent):
    """One person's end-of-match survey (free-text answers stay in feedback)."""

    event_type: ClassVar[str] = "mentornet.end_survey.submitted.v1"
    match_id: Id = MATCH_ID
    mentee_id: Id = MENTEE_ID
    program_id: Id = PROGRAM_ID
    role: Role = Field(description="Whose survey.", examples=["mentee"])
    template_id: Id = Field(
        default=END_SURVEY_ID, description="Survey template id.", examples=[END_SURVEY_ID]
    )
    template_version: int = Field(ge=1, description="Template version answered.", examples=[1])
    satisfaction: int = Field(ge=1, le=5, description="Satisfaction, 1-5.", examples=[4])
    would_recommend: bool = Field(
        description="Would recommend the program to a colleague.", examples=[True]
    )
    confidence_gained: int = Field(
        ge=1, le=5, description="Confidence gained, 1 (none) to 5 (a lot).", examples=[4]
    )


EVENTS = (
    GoalAdjustmentProposed,
    GoalAdjustmentAnswered,
    MilestoneCompleted,
    SkillAssessed,
    EndSurveySubmitted,
)
