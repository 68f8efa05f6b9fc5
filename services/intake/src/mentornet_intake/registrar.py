"""Registering a participant: the checks around the domain rule, shared by the HTTP
routes and bulk import."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from mentornet_chassis.errors import Conflict, Forbidden, Invalid, NotFound
from mentornet_chassis.http.auth import Principal, Role
from mentornet_chassis.store.aggregates import AggregateStore, Decision, State
from mentornet_contracts import Envelope, Event, new_envelope
from mentornet_contracts.events.participants import person_id_of
from pymongo.errors import DuplicateKeyError

from . import linking
from .access import acts_for_program
from .domain import programs
from .domain.registration import (
    AlreadyRegistered,
    MenteeRegistration,
    MentorRegistration,
    RegistrationConflict,
    SkillError,
    audit_groups,
    email_key,
    new_participant_id,
    register,
    with_canonical_skills,
)
from .people import PeopleDirectory, person_key
from .store import ParticipantStore
from .taxonomies import TaxonomyStore

SERVICE = "intake"
ALREADY_REGISTERED = "already_registered"


"""The error code of a 409 for an e-mail that already holds the role."""


def _failed_rule(rule: programs.Eligibility, org_unit: str | None) -> str:
    return "org_unit" if rule.org_units and org_unit not in rule.org_units else "level"


def _may_register(principal: Principal, program: State, role: Role) -> bool:
    """Anyone for the program's team; yourself with the role in your token."""
    return acts_for_program(principal, program) or role in principal.roles


@contextmanager
def skill_errors() -> Iterator[None]:
    """An unknown or deprecated skill is a 422 naming its field."""
    try:
        yield
    except SkillError as exc:
        raise Invalid(exc.field, exc.reason) from None


class Registrar:
    def __init__(
        self,
        participants: ParticipantStore,
        program_store: AggregateStore,
        wake_relay: Callable[[], None],
        taxonomies: TaxonomyStore,
        people: PeopleDirectory,
    ) -> None:
        self.people = people
        self.taxonomies = taxonomies
        self.participants = participants
        self.program_store = program_store
        self.wake_relay = wake_relay

    async def _person(
        self, body: MenteeRegistration | MentorRegistration, principal: Principal, own: bool
    ) -> str:
        """The person behind the enrolment (people.py): see `_own_person` and
        `_team_person`."""
        if own:
            return await self._own_person(body, principal)
        return await self._team_person(body)

    async def _own_person(
        self, body: MenteeRegistration | MentorRegistration, principal: Principal
    ) -> str:
        """Someone registering themself is their own person, whoever the address names
        (linking.py then refuses or links); their address is bound to them only when
        their token carries it as verified."""
        if body.person_id not in (None, principal.subject):
            raise Invalid("person_id", "you register yourself as yourself")
        me = person_id_of(principal.subject)
        known = await self.people.known(str(body.email))
        if known is not None:
            return known
        if principal.verified_email == person_key(str(body.email)):
            return await self.people.person_for(str(body.email), me)
        return me

    async def _team_person(self, body: MenteeRegistration | MentorRegistration) -> str:
        """Whoever the address names; else the subject the team gives, if it is no one
        else's yet; else a new person."""
        email = str(body.email)
        if body.person_id is None:
            return await self.people.person_for(email, None)
        wanted = person_id_of(body.person_id)
        known = await self.people.known(email)
        if known is not None and known != wanted:
            raise Conflict("person_id", "this e-mail address belongs to another person")
        bound = await self.people.address_of(wanted)
        unbound_but_enrolled = (
            bound is None
            and known is None
            and (await self.participants.an_enrolment_of(wanted, any_status=True) is not None)
        )
        if (bound is not None and bound != person_key(email)) or unbound_but_enrolled:
            raise Conflict(
                "person_id",
                "this person is known with another address: register them by e-mail,"
                " or have them sign up themself",
            )
        return await self.people.person_for(email, wanted)

    async def open_program(self, program_id: str) -> State:
        program = await self.program_store.get_state(program_id)
        if program is None:
            raise NotFound("program_id", f"no program {program_id}")
        if program["status"] != "published":
            raise Conflict("program_id", f"program {program_id} is not open for registration")
        return program

    async def enrol(
        self,
        body: MenteeRegistration | MentorRegistration,
        role: Role,
        principal: Principal,
        correlation_id: str | None,
    ) -> dict[str, Any]:
        taxonomy = await self.taxonomies.current()
        with skill_errors():
            body = with_canonical_skills(body, taxonomy)
        program = await self.open_program(body.program_id)
        if not _may_register(principal, program, role):
            raise Forbidden("Authorization", f"needs role {role} or coordinating {body.program_id}")
        rule = programs.Eligibility.model_validate(program["spec"]["eligibility"])
        if not rule.admits(body.org_unit, body.level):
            raise Invalid(
                _failed_rule(rule, body.org_unit),
                f"not eligible for program {body.program_id}",
            )
        existing = await self.participants.find_by_email_key(
            email_key(body.program_id, str(body.email))
        )
        participant_id = existing["_id"] if existing else new_participant_id()
        self_service = not acts_for_program(principal, program)
        person_id = await self._person(body, principal, self_service)
        link = (
            linking.link_to(person_id, principal, str(body.email), participant_id)
            if self_service
            else None
        )
        emitted: list[str] = []

        def decide(state: State | None) -> Decision:
            if state and self_service and state.get("account") != principal.subject:
                raise Conflict("email", "registered to another account")
            new_state, event = register(state, body, participant_id, person_id)
            if self_service:
                new_state["account"] = principal.subject
            envelope = new_envelope(event, SERVICE, correlation_id=correlation_id)
            emitted[:] = [envelope.id, envelope.correlation_id]
            groups = audit_groups(new_state) if body.diversity is not None else None
            extra: list[Envelope[Event]] = (
                [new_envelope(groups, SERVICE, caused_by=envelope)] if groups else []
            )
            if link is not None:
                new_state = linking.with_link(new_state, link)
                extra.append(new_envelope(link, SERVICE, caused_by=envelope))
            return Decision(state=new_state, events=[envelope, *extra])

        try:
            applied = await self.participants.aggregates.apply(participant_id, decide)
        except AlreadyRegistered as exc:
            raise Conflict("email", str(exc), error=ALREADY_REGISTERED) from None
        except RegistrationConflict as exc:
            raise Conflict("email", str(exc)) from None
        except DuplicateKeyError:
            raise Conflict("email", "already registered in this program") from None
        self.wake_relay()
        assert applied.state is not None
        return {
            "participant_id": participant_id,
            "roles": applied.state["roles"],
            "event_id": emitted[0],
            "correlation_id": emitted[1],
        }
