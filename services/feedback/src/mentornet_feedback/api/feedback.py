"""A match's feedback over HTTP, as the caller may see it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import PAIR, QA_TEAM, allow
from mentornet_chassis.http.provided import provided

from ..domain.visibility import MatchView
from ..usecases.views import FeedbackViews
from .access import Caller
from .views import MatchFeedback

router = guarded_router(tags=["surveys"])
Views = Annotated[FeedbackViews, Depends(provided(FeedbackViews))]


@router.get(
    "/matches/{match_id}/feedback",
    response_model=MatchFeedback,
    response_model_exclude_unset=True,
    **allow("feedback.of_match", *PAIR, *QA_TEAM, on="match"),
)
async def of_match(match_id: str, views: Views, viewer: Caller) -> MatchView:
    return await views.of_match(match_id, viewer)
