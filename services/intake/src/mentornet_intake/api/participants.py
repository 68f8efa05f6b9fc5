"""Participants over HTTP: register (either role, or both), read, change, leave."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import Header
from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import TEAM, Grant, allow
from pydantic import BaseModel, ConfigDict, Field

from ..domain import profile
from ..domain.forms import MenteeRegistration, MentorRegistration
from ..domain.participant import ParticipantState, ParticipantStatus, seen_by
from ..usecases.registrar import Registered as Enrolled
from .access import caller_of
from .parts import Participants, Registering
from .views import DiversityWithdrawn, Erased, ParticipantView, Registered, Withdrawn

router = guarded_router(prefix="/participants", tags=["participants"])
REGISTER = allow("participants.register", Grant.SIGNED_IN)
THEIRS = (Grant.SELF, *TEAM)
CorrelationId = Annotated[str | None, Header(alias="X-Correlation-ID", max_length=128)]


class Withdrawal(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reason": "Moving to a role outside engineering next month."}]
        },
    )

    reason: str = Field(default="", max_length=500)


def _person(name: str) -> dict[str, Any]:
    """A route about one participant: out of scope, they do not exist (404)."""
    return allow(name, *THEIRS, on="participant", hide=True)


def _registered(enrolled: Enrolled) -> dict[str, object]:
    return asdict(enrolled)


def _view(principal: SignedIn, state: ParticipantState) -> ParticipantState:
    return seen_by(principal.ids, state)


@router.post("/mentees", status_code=201, response_model=Registered, **REGISTER)
async def register_mentee(
    body: MenteeRegistration,
    principal: SignedIn,
    registrar: Registering,
    correlation_id: CorrelationId = None,
) -> dict[str, object]:
    """Yourself (with the mentee role in your token), or anyone as a coordinator of
    the body's program."""
    return _registered(await registrar.enrol(body, caller_of(principal), correlation_id))


@router.post("/mentors", status_code=201, response_model=Registered, **REGISTER)
async def register_mentor(
    body: MentorRegistration,
    principal: SignedIn,
    registrar: Registering,
    correlation_id: CorrelationId = None,
) -> dict[str, object]:
    """Yourself (with the mentor role in your token), or anyone as a coordinator of
    the body's program."""
    return _registered(await registrar.enrol(body, caller_of(principal), correlation_id))


@router.get(
    "/{participant_id}",
    response_model=ParticipantView,
    response_model_exclude_unset=True,
    **_person("participants.read"),
)
async def get(participant_id: str, principal: SignedIn, desk: Participants) -> ParticipantState:
    return _view(principal, await desk.get(participant_id))


@router.post("/{participant_id}/withdraw", **_person("participants.withdraw"))
async def withdraw(participant_id: str, body: Withdrawal, desk: Participants) -> Withdrawn:
    state = await desk.withdraw(participant_id, body.reason)
    return Withdrawn(participant_id=participant_id, status=state["status"])


@router.delete("/{participant_id}", **_person("participants.erase"))
async def erase(participant_id: str, principal: SignedIn, desk: Participants) -> Erased:
    """Remove every personal detail; harmless to repeat. Asked by the person
    themself (or a service acting for them), every enrolment of the person goes, in
    every program; a coordinator erases the enrolment in their program."""
    targets = await desk.erase(participant_id, caller_of(principal))
    return Erased(participant_id=participant_id, status=ParticipantStatus.ERASED, erased=targets)


@router.delete(
    "/{participant_id}/diversity",
    response_model=DiversityWithdrawn,
    **_person("participants.withdraw_diversity"),
)
async def withdraw_diversity_consent(participant_id: str, desk: Participants) -> dict[str, object]:
    """Forget self-identified attributes here and in QA's fairness data (the person, or
    their coordinator on their behalf: nothing about the attributes is shown)."""
    state = await desk.withdraw_diversity_consent(participant_id)
    return {"participant_id": participant_id, "diversity": state.get("diversity")}


@router.patch(
    "/{participant_id}/profile",
    response_model=ParticipantView,
    response_model_exclude_unset=True,
    **_person("participants.profile"),
)
async def change_profile(
    participant_id: str, patch: profile.ProfilePatch, principal: SignedIn, desk: Participants
) -> ParticipantState:
    return _view(principal, await desk.change_profile(participant_id, patch))


@router.put(
    "/{participant_id}/goals",
    response_model=ParticipantView,
    response_model_exclude_unset=True,
    **_person("participants.goals"),
)
async def change_goals(
    participant_id: str, change: profile.GoalsChange, principal: SignedIn, desk: Participants
) -> ParticipantState:
    return _view(principal, await desk.change_goals(participant_id, change))


@router.put(
    "/{participant_id}/availability",
    response_model=ParticipantView,
    response_model_exclude_unset=True,
    **_person("participants.availability"),
)
async def change_availability(
    participant_id: str, change: profile.AvailabilityChange, principal: SignedIn, desk: Participants
) -> ParticipantState:
    return _view(principal, await desk.change_availability(participant_id, change))
