"""Feedback summaries over HTTP: per match, per mentor and per program."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import QA_TEAM, Grant, allow
from mentornet_chassis.http.provided import provided

from ..usecases.views import FeedbackViews
from . import access
from .access import Caller
from .views import MatchSummary, MentorSummary, ProgramSummary

router = guarded_router(tags=["reports and progress"])
Views = Annotated[FeedbackViews, Depends(provided(FeedbackViews))]


@router.get(
    "/matches/{match_id}/feedback/summary",
    response_model=MatchSummary,
    **allow("feedback.match_summary", *access.SEE, on="match"),
)
async def match_summary(match_id: str, views: Views, viewer: Caller) -> dict[str, object]:
    return {"match_id": match_id, **await views.match_summary(match_id, viewer)}


@router.get(
    "/mentors/{mentor_id}/feedback/summary",
    response_model=MentorSummary,
    **allow("feedback.mentor_summary", Grant.SELF, *QA_TEAM, on="mentor", hide=True),
)
async def mentor_summary(mentor_id: str, views: Views, viewer: Caller) -> dict[str, object]:
    """What the mentor's mentees said, across every match the mentor has."""
    return {"mentor_id": mentor_id, **await views.mentor_summary(mentor_id, viewer)}


@router.get(
    "/programs/{program_id}/feedback/summary",
    response_model=ProgramSummary,
    **allow("feedback.program_summary", *QA_TEAM, on="program"),
)
async def program_summary(program_id: str, views: Views) -> dict[str, object]:
    return {"program_id": program_id, **await views.program_summary(program_id)}
