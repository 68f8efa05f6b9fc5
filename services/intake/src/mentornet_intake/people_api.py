"""The signed-in person over HTTP: who they are, every enrolment they hold, and linking
their sign-in to a person a program team registered (linking.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends
from mentornet_chassis.errors import Invalid, NotFound
from mentornet_chassis.http.auth import Principal
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.store.aggregates import Decision, State
from mentornet_contracts import new_envelope

from . import linking
from .access import seen_by
from .people import PeopleDirectory
from .store import ParticipantStore

SERVICE = "intake"


def create_router(
    participants: ParticipantStore, people: PeopleDirectory, wake_relay: Callable[[], None]
) -> APIRouter:
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

    @router.post("/me/link", **allow("people.link", Grant.SIGNED_IN))
    async def link(principal: Principal = Depends(caller)) -> dict[str, Any]:
        """Be the person a program team registered with your token's verified e-mail
        address: their enrolments become yours, in every service."""
        email = principal.verified_email
        if email is None:
            raise Invalid("email", "your token carries no verified e-mail address")
        person_id = await people.linkable(email)
        enrolment = await participants.an_enrolment_of(person_id) if person_id else None
        if person_id is None or enrolment is None:
            raise NotFound(
                "email", "no one a program team registered has your verified e-mail address"
            )
        event = linking.link_to(person_id, principal, email, enrolment)
        if event is not None:

            def decide(state: State | None) -> Decision:
                assert state is not None, "enrolments are never deleted"
                if linking.is_linked(state, event):
                    return Decision(state=None)
                linked = linking.with_link(state, event)
                return Decision(state=linked, events=[new_envelope(event, SERVICE)])

            await participants.aggregates.apply(enrolment, decide)
            wake_relay()
        return {"subject": principal.subject, "person_id": person_id, "linked": True}

    return router
