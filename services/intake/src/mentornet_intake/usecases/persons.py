"""The person behind an enrolment (store/people.py): who a registration names.

Someone registering themself is their own person; a program team registers whoever
the address names, or the subject it gives, or a new person.
"""

from __future__ import annotations

from mentornet_chassis.errors import Conflict, Invalid
from mentornet_contracts.events.participants import person_id_of

from ..domain.caller import Caller
from ..domain.forms import MenteeRegistration, MentorRegistration
from ..store.participants import ParticipantStore
from ..store.people import PeopleDirectory, person_key


async def person_behind(
    people: PeopleDirectory,
    participants: ParticipantStore,
    body: MenteeRegistration | MentorRegistration,
    caller: Caller,
    own: bool,
) -> str:
    if own:
        return await _own_person(people, body, caller)
    return await _team_person(people, participants, body)


async def _own_person(
    people: PeopleDirectory, body: MenteeRegistration | MentorRegistration, caller: Caller
) -> str:
    """Someone registering themself is their own person, whoever the address names
    (domain/linking.py then refuses or links); their address is bound to them only when
    their token carries it as verified."""
    if body.person_id not in (None, caller.subject):
        raise Invalid("person_id", "you register yourself as yourself")
    me = person_id_of(caller.subject)
    known = await people.known(str(body.email))
    if known is not None:
        return known
    if caller.verified_email == person_key(str(body.email)):
        return await people.person_for(str(body.email), me)
    return me


async def _team_person(
    people: PeopleDirectory,
    participants: ParticipantStore,
    body: MenteeRegistration | MentorRegistration,
) -> str:
    """Whoever the address names; else the subject the team gives, if it is no one
    else's yet; else a new person."""
    email = str(body.email)
    if body.person_id is None:
        return await people.person_for(email, None)
    wanted = person_id_of(body.person_id)
    known = await people.known(email)
    if known is not None and known != wanted:
        raise Conflict("person_id", "this e-mail address belongs to another person")
    bound = await people.address_of(wanted)
    unbound_but_enrolled = (
        bound is None
        and known is None
        and (await participants.an_enrolment_of(wanted, any_status=True) is not None)
    )
    if (bound is not None and bound != person_key(email)) or unbound_but_enrolled:
        raise Conflict(
            "person_id",
            "this person is known with another address: register them by e-mail,"
            " or have them sign up themself",
        )
    return await people.person_for(email, wanted)
