"""Linking a sign-in to a person a program team registered without their subject.

The team knew the person's e-mail address, not their identity provider subject; when
the person signs in, their token's verified e-mail address proves they are that person.
The link is an event (person.linked), so every service treats the sign-in as the person.
An address that is not verified in the token proves nothing: 409.
"""

from __future__ import annotations

from mentornet_chassis.errors import Conflict
from mentornet_contracts.events.participants import PersonLinked, person_id_of

from .caller import Caller
from .participant import ParticipantState


def link_to(person_id: str, caller: Caller, email: str, participant_id: str) -> PersonLinked | None:
    """None when the sign-in is the person already; the link, recorded on the enrolment
    `participant_id`, when its verified address is the one the person was registered
    with."""
    signed_in_as = person_id_of(caller.subject)
    if person_id == signed_in_as:
        return None
    if caller.verified_email != email.strip().lower():
        raise Conflict(
            "email",
            "this e-mail address is another person's: sign in as them (with an account"
            " whose verified e-mail address it is)",
        )
    return PersonLinked(
        participant_id=participant_id, person_id=person_id, signed_in_as=signed_in_as
    )


def is_linked(state: ParticipantState, link: PersonLinked) -> bool:
    return link.signed_in_as in state.get("linked", [])


def with_link(state: ParticipantState, link: PersonLinked) -> ParticipantState:
    """The enrolment remembers the sign-in, so intake finds the person from it."""
    return {**state, "linked": sorted({*state.get("linked", []), link.signed_in_as})}
