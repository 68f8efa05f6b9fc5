"""The signed-in person over HTTP: who they are, every enrolment they hold, and linking
their sign-in to a person a program team registered (domain/linking.py)."""

from __future__ import annotations

from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import Grant, allow

from ..usecases.people import Person
from .access import caller_of
from .parts import Persons
from .views import Linked, PersonView

router = guarded_router(prefix="/people", tags=["people"])


@router.get(
    "/me",
    response_model=PersonView,
    response_model_exclude_unset=True,
    **allow("people.me", Grant.SIGNED_IN),
)
async def me(principal: SignedIn, people: Persons) -> Person:
    """The caller as a person: their enrolments in every program (their own
    profile in each, diversity attributes included)."""
    return await people.me(caller_of(principal))


@router.post("/me/link", **allow("people.link", Grant.SIGNED_IN))
async def link(principal: SignedIn, people: Persons) -> Linked:
    """Be the person a program team registered with your token's verified e-mail
    address: their enrolments become yours, in every service."""
    person_id = await people.link(caller_of(principal))
    return Linked(subject=principal.subject, person_id=person_id, linked=True)
