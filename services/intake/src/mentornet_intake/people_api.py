"""The signed-in person over HTTP: who they are and every enrolment they hold."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from mentornet_chassis.auth import Principal
from mentornet_chassis.guard import caller, guarded_router
from mentornet_chassis.policy import Grant, allow

from .access import seen_by
from .store import ParticipantStore


def create_router(participants: ParticipantStore) -> APIRouter:
    router = guarded_router(prefix="/people", tags=["people"])

    @router.get("/me", **allow("people.me", Grant.SIGNED_IN))
    async def me(principal: Principal = Depends(caller)) -> dict[str, Any]:
        """The caller as a person: their enrolments in every program (their own
        profile in each, diversity attributes included)."""
        found = [await participants.get(p) for p in sorted(principal.enrolments)]
        enrolments = [seen_by(principal, p) for p in found if p is not None]
        persons = {str(p["person_id"]) for p in enrolments if p.get("person_id")}
        return {
            "subject": principal.subject,
            "person_id": min(persons) if persons else principal.subject,
            "enrolments": enrolments,
        }

    return router
