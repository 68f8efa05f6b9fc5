"""Goal progress over HTTP: recorded per match, read per mentee."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import PAIR, QA_TEAM, TEAM, Grant, allow
from mentornet_chassis.http.provided import provided

from ..domain.goals import Progress
from ..usecases.goals import Goals, GoalsOfPerson, Recorded
from .access import Caller
from .views import MenteeGoals, RecordedProgress

router = guarded_router(tags=["reports and progress"])
Desk = Annotated[Goals, Depends(provided(Goals))]


@router.post(
    "/matches/{match_id}/goals/{goal_id}/progress",
    status_code=201,
    response_model=RecordedProgress,
    response_model_exclude_unset=True,
    **allow("goals.progress", *PAIR, *TEAM, on="match"),
)
async def progress(
    match_id: str, goal_id: str, body: Progress, goals: Desk, viewer: Caller
) -> Recorded:
    """Where the mentee stands on one goal: percent, status, milestones reached."""
    return await goals.record(match_id, goal_id, body, viewer)


@router.get(
    "/participants/{participant_id}/goals",
    response_model=MenteeGoals,
    response_model_exclude_unset=True,
    **allow("goals.of_person", Grant.SELF, *QA_TEAM, on="participant", hide=True),
)
async def goals_of(participant_id: str, goals: Desk) -> GoalsOfPerson:
    """The mentee's goals as last changed, every pivot with its reason, and progress
    recorded in each of their matches."""
    return await goals.of_person(participant_id)
