"""The outcome facts QA keeps, typed: on a match, the proposal's raw signals and
experiment arm (match.proposed), skill assessments, milestones reached, accepted goal
adjustments and end-of-match surveys (feedback's events); on a mentee, their goals'
milestones as the goals now stand (mentee.registered, goals.updated)."""

from __future__ import annotations

from typing import NotRequired, TypedDict


class Assessment(TypedDict):
    """Levels of the mentee's target skills at one stage, as one assessor saw them
    (skill.assessed)."""

    assessor: str
    """`mentee` (a self-assessment) or `mentor`."""
    stage: str
    """`baseline`, `milestone` or `end`."""
    levels: dict[str, int]
    goal_id: str | None
    milestone_id: str | None
    at: str


class MilestoneDone(TypedDict):
    """A milestone recorded as reached (milestone.completed)."""

    goal_id: str
    milestone_id: str
    due_date: str
    completed_on: str
    on_time: bool
    """Reached on or before its due date."""


class EndSurvey(TypedDict):
    """One person's end-of-match survey (end_survey.submitted), scores only."""

    role: str
    template_id: str
    template_version: int
    satisfaction: int
    would_recommend: bool
    confidence_gained: int
    at: str


class MatchOutcomes(TypedDict):
    """The outcome facts part of QA's view of a match (documents.Match)."""

    signals: NotRequired[dict[str, float]]
    """Each matching signal's raw value for the pair (match.proposed)."""
    experiment_id: NotRequired[str | None]
    arm_id: NotRequired[str | None]
    rule_id: NotRequired[str | None]
    rule_version: NotRequired[int | None]
    assessments: NotRequired[dict[str, Assessment]]
    """By `stage:assessor` (baseline, end) or `milestone:assessor:goal:milestone`."""
    milestones_done: NotRequired[dict[str, MilestoneDone]]
    """By `goal_id/milestone_id`."""
    milestones_in_goal: NotRequired[dict[str, int]]
    """Milestones each goal has, as the latest milestone.completed says."""
    goal_milestones: NotRequired[dict[str, list[str]]]
    """Each adjusted goal's milestone ids, as its latest accepted adjustment left it."""
    end_surveys: NotRequired[dict[str, EndSurvey]]
    """By role."""


class MenteeGoals(TypedDict):
    """The outcome facts part of QA's view of a person (documents.Person)."""

    segment: NotRequired[str | None]
    """The mentee's segment (mentee.registered)."""
    goal_milestone_ids: NotRequired[dict[str, list[str]]]
    """Each of the mentee's goals' milestone ids, as the goals now stand
    (mentee.registered, then goals.updated)."""
