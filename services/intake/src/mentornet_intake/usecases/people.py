"""The signed-in person: every enrolment they hold, and linking their sign-in to a
person a program team registered (domain/linking.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from mentornet_chassis.errors import Invalid, NotFound
from mentornet_contracts import Envelope, Event, new_envelope

from ..domain import linking
from ..domain.caller import Caller
from ..domain.participant import ParticipantState, seen_by
from ..store.participants import ParticipantStore
from ..store.people import PeopleDirectory

SERVICE = "intake"


class Person(TypedDict):
    """The signed-in person: who they are, and every enrolment they hold."""

    subject: str
    person_id: str
    """The person behind their enrolments (the lowest id, should there be several), else
    their sign-in."""
    enrolments: list[ParticipantState]


class People:
    def __init__(
        self,
        participants: ParticipantStore,
        people: PeopleDirectory,
        wake_relay: Callable[[], None],
    ) -> None:
        self.participants = participants
        self.people = people
        self.wake_relay = wake_relay

    async def enrolments(self, caller: Caller) -> list[ParticipantState]:
        """The caller's enrolments in every program, in id order."""
        found = [await self.participants.get(p) for p in sorted(caller.enrolments)]
        return [p for p in found if p is not None]

    async def me(self, caller: Caller) -> Person:
        """The caller as a person: their enrolments in every program (their own profile
        in each, diversity attributes included)."""
        enrolments = [seen_by(caller.ids, p) for p in await self.enrolments(caller)]
        persons = {str(p["person_id"]) for p in enrolments if p.get("person_id")}
        person_id = min(persons) if persons else caller.subject
        return {"subject": caller.subject, "person_id": person_id, "enrolments": enrolments}

    async def link(self, caller: Caller) -> str:
        """Be the person a program team registered with the caller's verified e-mail
        address: their enrolments become the caller's, in every service. The person."""
        email = caller.verified_email
        if email is None:
            raise Invalid("email", "your token carries no verified e-mail address")
        person_id = await self.people.linkable(email)
        enrolment = await self.participants.an_enrolment_of(person_id) if person_id else None
        if person_id is None or enrolment is None:
            raise NotFound(
                "email", "no one a program team registered has your verified e-mail address"
            )
        event = linking.link_to(person_id, caller, email, enrolment)
        if event is None:
            return person_id

        def decide(
            state: ParticipantState | None,
        ) -> tuple[ParticipantState | None, list[Envelope[Event]]]:
            assert state is not None, "enrolments are never deleted"
            if linking.is_linked(state, event):
                return None, []
            return linking.with_link(state, event), [new_envelope(event, SERVICE)]

        await self.participants.apply(enrolment, decide)
        self.wake_relay()
        return person_id
