"""The answers of the outcome routes (outcomes.py), as the OpenAPI documents describe
them. Keys a stored document has only once something happened (an answer's
`answered_at`, a completion's `completed_on`) are absent rather than null."""

from __future__ import annotations

from mentornet_contracts.events.common import Goal, Milestone, Role, SkillLevel
from mentornet_contracts.events.outcomes import AssessmentStage, GoalChange
from pydantic import BaseModel, Field

from ..domain.end_survey import SurveyQuestion
from ..domain.outcome_state import MatchStatus, ProposalStatus


class AdjustmentView(BaseModel):
    proposal_id: str
    goal_id: str
    proposed_at: str
    status: ProposalStatus
    change: GoalChange
    answered_at: str | None = None
    note: str | None = None


class ProposalView(AdjustmentView):
    match_id: str


class AnsweredProposal(ProposalView):
    goal: Goal | None = Field(description="The goal as it now stands in the match.")


class CompletionView(BaseModel):
    match_id: str
    goal_id: str
    milestone_id: str
    due_date: str
    completed_on: str
    on_time: bool
    recorded_by: str
    recorded_at: str
    evidence: str | None = None


class AssessmentView(BaseModel):
    assessor: Role
    stage: AssessmentStage
    levels: dict[str, int] = Field(description="Skill id to its level, 1-5.")
    at: str
    goal_id: str | None = None
    milestone_id: str | None = None


class RecordedAssessment(AssessmentView):
    match_id: str


class SurveyView(BaseModel):
    role: Role
    participant_id: str
    template_id: str
    template_version: int
    satisfaction: int
    would_recommend: bool
    confidence_gained: int
    submitted_at: str
    comments: str | None = Field(
        default=None, description="Only for its author and the program's team."
    )


class SubmittedSurvey(SurveyView):
    match_id: str


class EndSurveyTemplate(BaseModel):
    program_id: str
    template_id: str
    version: int
    questions: tuple[SurveyQuestion, ...]


class MilestoneOutcome(Milestone):
    completed: bool
    completed_on: str | None = None
    on_time: bool | None = None
    recorded_by: str | None = None
    evidence: str | None = None


class GoalOutcome(BaseModel):
    goal_id: str
    statement: str
    target_skills: list[SkillLevel]
    measurable_outcome: str = ""
    target_date: str | None = None
    milestones: list[MilestoneOutcome]
    growth: float | None = Field(description="Mean growth over the goal's target skills.")


class SkillGrowthView(BaseModel):
    skill_id: str
    baseline: int | None
    end_self: int | None
    growth: int | None = Field(description="The mentee's end level minus their baseline.")
    mentor_end: int | None


class EndingView(BaseModel):
    at: str
    reason: str
    detail: str


class MatchOutcomes(BaseModel):
    match_id: str
    program_id: str
    mentor_id: str
    mentee_id: str
    status: MatchStatus
    ended: EndingView | None = None
    goals: list[GoalOutcome]
    adjustments: list[AdjustmentView]
    assessments: dict[AssessmentStage, list[AssessmentView]]
    growth: list[SkillGrowthView]
    surveys: list[SurveyView]
