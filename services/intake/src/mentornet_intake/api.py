"""Intake's HTTP routes: thin, they validate, call the domain, save, and answer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header
from mentornet_chassis.aggregates import Decision, State
from mentornet_chassis.http import conflict, not_found
from mentornet_contracts import new_envelope
from pymongo.errors import DuplicateKeyError

from .domain.registration import (
    MenteeRegistration,
    email_key,
    new_participant_id,
    register_mentee,
)
from .store import ParticipantStore

SERVICE = "intake"
CorrelationId = Annotated[str | None, Header(alias="X-Correlation-ID", max_length=128)]


def create_router(participants: ParticipantStore, wake_relay: Any) -> APIRouter:
    router = APIRouter(prefix="/participants", tags=["participants"])

    @router.post("/mentees", status_code=201)
    async def register(
        body: MenteeRegistration, correlation_id: CorrelationId = None
    ) -> dict[str, str]:
        key = email_key(body.program_id, str(body.email))
        if await participants.find_by_email_key(key) is not None:
            raise conflict("email", "already registered in this program")
        participant_id = new_participant_id()
        state, event = register_mentee(body, participant_id)
        envelope = new_envelope(event, SERVICE, correlation_id=correlation_id)

        def decide(_: State | None) -> Decision:
            return Decision(state=state, events=[envelope])

        try:
            await participants.aggregates.apply(participant_id, decide)
        except DuplicateKeyError:
            raise conflict("email", "already registered in this program") from None
        wake_relay()
        return {
            "participant_id": participant_id,
            "event_id": envelope.id,
            "correlation_id": envelope.correlation_id,
        }

    @router.get("/{participant_id}")
    async def get(participant_id: str) -> dict[str, Any]:
        state = await participants.get(participant_id)
        if state is None:
            raise not_found("participant_id", f"no participant {participant_id}")
        return state

    return router
