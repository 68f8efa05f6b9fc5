"""The dead letters, for operators: deliveries that will not be retried, with why."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import TEAM, allow
from mentornet_chassis.http.provided import provided

from ..usecases.preferences import PreferenceDesk
from .views import DeadLetters, DeadLetterView

router = guarded_router(tags=["deliveries"])
Desk = Annotated[PreferenceDesk, Depends(provided(PreferenceDesk))]


@router.get(
    "/deliveries/dead", response_model=DeadLetters, **allow("notifications.dead_letters", *TEAM)
)
async def dead_letters(desk: Desk) -> DeadLetters:
    """Dead-lettered deliveries (up to 500) with the reason each failed."""
    return DeadLetters(dead=[DeadLetterView.of(d) for d in await desk.dead_letters()])
