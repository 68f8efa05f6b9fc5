"""Matcher's read-model routes: what the matcher knows about a participant."""

from __future__ import annotations

from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow

from ..domain.documents import Candidate
from .parts import Board
from .views import CandidateView

router = guarded_router(prefix="/candidates", tags=["candidates"])


@router.get(
    "/{participant_id}",
    response_model=CandidateView,
    response_model_exclude_unset=True,
    **allow(
        "candidates.read",
        Grant.SELF,
        Grant.COORDINATOR,
        Grant.SERVICE,
        on="participant",
        hide=True,
    ),
)
async def get(participant_id: str, board: Board) -> Candidate:
    return await board.candidate(participant_id)
