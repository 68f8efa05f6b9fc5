"""Matcher's read-model routes: what the matcher knows about a participant."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from mentornet_chassis.auth import Principal, Role, forbidden
from mentornet_chassis.http import not_found

from .store import MatcherStores

Current = Callable[[Request], Awaitable[Principal]]


def create_router(stores: MatcherStores, current: Current) -> APIRouter:
    router = APIRouter(prefix="/candidates", tags=["candidates"])

    @router.get("/{participant_id}")
    async def get(participant_id: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        if not (
            principal.subject == participant_id or principal.has(Role.COORDINATOR, Role.SERVICE)
        ):
            raise forbidden("only the person, a coordinator or a service")
        candidate = await stores.candidates.get_state(participant_id)
        if candidate is None:
            raise not_found("participant_id", f"no candidate {participant_id}")
        return dict(candidate)

    return router
