"""A match's outcomes over HTTP: goal adjustments (the mentor proposes, the mentee
answers), milestones reached, skill assessments, the end-of-match survey and its
template, and the outcomes they add up to."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import PAIR, TEAM, Grant, allow
from mentornet_chassis.http.provided import provided

from ..domain import end_survey
from ..domain.adjustments import AdjustmentBody, AnswerBody
from ..domain.assessments import AssessmentBody
from ..domain.end_survey import EndSurveyBody
from ..domain.milestones import CompletionBody
from ..domain.outcome_view import OutcomesView
from ..usecases.outcomes import Outcomes
from .access import Caller
from .outcome_views import (
    AnsweredProposal,
    CompletionView,
    EndSurveyTemplate,
    MatchOutcomes,
    ProposalView,
    RecordedAssessment,
    SubmittedSurvey,
)

router = guarded_router(tags=["outcomes"])
Desk = Annotated[Outcomes, Depends(provided(Outcomes))]
GOAL = "/matches/{match_id}/goals/{goal_id}"


@router.post(
    f"{GOAL}/adjustments",
    status_code=201,
    response_model=ProposalView,
    response_model_exclude_unset=True,
    **allow("outcomes.propose_adjustment", Grant.MENTOR, on="match"),
)
async def propose(
    match_id: str, goal_id: str, body: AdjustmentBody, desk: Desk
) -> dict[str, object]:
    """The mentor proposes a change to one of the mentee's goals; it applies once the
    mentee accepts. One open proposal per goal (409 with the open one)."""
    return await desk.propose(match_id, goal_id, body)


@router.post(
    f"{GOAL}/adjustments/{{proposal_id}}/answer",
    response_model=AnsweredProposal,
    response_model_exclude_unset=True,
    **allow("outcomes.answer_adjustment", Grant.MENTEE, on="match"),
)
async def answer(
    match_id: str, goal_id: str, proposal_id: str, body: AnswerBody, desk: Desk
) -> dict[str, object]:
    """The mentee accepts or declines; `goal` is the goal as it now stands (409 when
    already answered)."""
    return await desk.answer(match_id, goal_id, proposal_id, body.accept)


@router.post(
    f"{GOAL}/milestones/{{milestone_id}}/completion",
    status_code=201,
    response_model=CompletionView,
    response_model_exclude_unset=True,
    **allow("outcomes.complete_milestone", *PAIR, on="match"),
)
async def complete(
    match_id: str,
    goal_id: str,
    milestone_id: str,
    body: CompletionBody,
    desk: Desk,
    viewer: Caller,
) -> dict[str, object]:
    """A milestone reached, with evidence; once (409), not in the future (422)."""
    return await desk.complete(match_id, (goal_id, milestone_id), body, viewer)


@router.post(
    "/matches/{match_id}/skill-assessments",
    status_code=201,
    response_model=RecordedAssessment,
    response_model_exclude_unset=True,
    **allow("outcomes.assess_skills", *PAIR, on="match"),
)
async def assess(
    match_id: str, body: AssessmentBody, desk: Desk, viewer: Caller
) -> dict[str, object]:
    """Levels of the skills the mentee's goals target: the mentee at a completed
    milestone or at the end, the mentor at the end; the end once the match has ended
    (409), once per person."""
    return await desk.assess(match_id, body, viewer)


@router.post(
    "/matches/{match_id}/end-survey",
    status_code=201,
    response_model=SubmittedSurvey,
    response_model_exclude_unset=True,
    **allow("outcomes.end_survey", *PAIR, on="match"),
)
async def survey(
    match_id: str, body: EndSurveyBody, desk: Desk, viewer: Caller
) -> dict[str, object]:
    """The end-of-match survey (GET /programs/{program_id}/end-survey-template): once
    the match has ended, once per person (409)."""
    return await desk.survey(match_id, body, viewer)


@router.get(
    "/matches/{match_id}/outcomes",
    response_model=MatchOutcomes,
    response_model_exclude_unset=True,
    **allow("outcomes.of_match", *PAIR, *TEAM, on="match"),
)
async def of_match(match_id: str, desk: Desk, viewer: Caller) -> OutcomesView:
    """Goals and milestones, adjustments, assessments by stage, growth per skill and per
    goal, and both end surveys (a survey's comments for its author and the team only)."""
    return await desk.of_match(match_id, viewer)


@router.get(
    "/programs/{program_id}/end-survey-template",
    response_model=EndSurveyTemplate,
    **allow("outcomes.end_survey_template", Grant.SIGNED_IN),
)
async def template(program_id: str) -> EndSurveyTemplate:
    """The end-of-match survey's questions and version: not secret."""
    return EndSurveyTemplate(
        program_id=program_id,
        template_id=end_survey.TEMPLATE_ID,
        version=end_survey.VERSION,
        questions=end_survey.QUESTIONS,
    )
