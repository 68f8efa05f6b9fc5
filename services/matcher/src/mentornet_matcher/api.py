"""Matcher's read-model routes: what the matcher knows about a participant."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from mentornet_chassis.errors import NotFound
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow

from .store import MatcherStores


def create_router(stores: MatcherStores) -> APIRouter:
    router = guarded_router(prefix="/candidates", tags=["candidates"])

    @router.get(
        "/{participant_id}",
        **allow(
            "candidates.read",
            Grant.SELF,
            Grant.COORDINATOR,
            Grant.SERVICE,
            on="participant",
            hide=True,
        ),
    )
    async def get(participant_id: str) -> dict[str, Any]:
        candidate = await stores.candidates.get_state(participant_id)
        if candidate is None:
            raise NotFound("participant_id", f"no candidate {participant_id}")
        return dict(candidate)

    return router
