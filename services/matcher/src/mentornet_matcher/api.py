"""Matcher's HTTP routes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from mentornet_chassis.http import not_found

from .store import CandidateStore


def create_router(store: CandidateStore) -> APIRouter:
    router = APIRouter(prefix="/candidates", tags=["candidates"])

    @router.get("/{participant_id}")
    async def get(participant_id: str) -> dict[str, Any]:
        candidate = await store.get(participant_id)
        if candidate is None:
            raise not_found("participant_id", f"no candidate {participant_id}")
        return candidate

    return router
