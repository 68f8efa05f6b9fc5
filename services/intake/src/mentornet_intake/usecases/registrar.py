"""Registering a participant: the checks around the domain rule, shared by the HTTP
routes and bulk import."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mentornet_chassis.errors import Conflict, Forbidden, Invalid, NotFound
from mentornet_contracts import Envelope, Event, new_envelope
from pymongo.errors import DuplicateKeyError

from ..domain import linking, program_fields, smart
from ..domain.caller import Caller
from ..domain.forms import MenteeRegistration, MentorRegistration, consents_from_the_future
from ..domain.participant import ParticipantState
from ..domain.programs import ProgramState, ProgramStatus
from ..domain.registration import (
    audit_groups,
    email_key,
    register,
    with_canonical_skills,
)
from ..store.participants import ParticipantStore
from ..store.people import PeopleDirectory
from ..store.programs import ProgramStore
from ..store.taxonomies import TaxonomyStore
from .persons import person_behind

SERVICE = "intake"
Registration = MenteeRegistration | MentorRegistration


def new_participant_id() -> str:
    return f"p-{uuid.uuid4().hex[:16]}"


@dataclass(frozen=True)
class Registered:
    participant_id: str
    roles: list[str]
    event_id: str
    correlation_id: str


def _failed_rule(rule: program_fields.Eligibility, org_unit: str | None) -> str:
    return "org_unit" if rule.org_units and org_unit not in rule.org_units else "level"


def check_may_register(caller: Caller, program: ProgramState, body: Registration) -> None:
    """Anyone for the program's team; yourself with the role in your token; and only
    someone the program's eligibility admits."""
    role = "mentee" if isinstance(body, MenteeRegistration) else "mentor"
    if not (caller.acts_for(program) or role in caller.roles):
        raise Forbidden("Authorization", f"needs role {role} or coordinating {body.program_id}")
    rule = program_fields.Eligibility.model_validate(program["spec"]["eligibility"])
    if not rule.admits(body.org_unit, body.level):
        raise Invalid(
            _failed_rule(rule, body.org_unit), f"not eligible for program {body.program_id}"
        )


def check_consents(body: Registration, now: datetime) -> None:
    """A consent dated in the future is refused as the request body's (422), as the
    body's own validation would."""
    future = consents_from_the_future(body, now)
    if future:
        raise Invalid(f"body.{future[0]['field']}", future[0]["reason"])


def check_goals(body: Registration, now: datetime) -> None:
    """A mentee's goals are SMART as of the service's today (422 naming each field)."""
    if isinstance(body, MenteeRegistration):
        smart.check(body.goals, now.date())


def registration_events(
    event: Event,
    state: ParticipantState,
    body: Registration,
    correlation_id: str | None,
    import_id: str | None = None,
) -> list[Envelope[Event]]:
    """The registration's event (naming the import that registered the person, if
    any), then the audit groups it records if the person gave them (caused by it)."""
    if import_id is not None:
        event = event.model_copy(update={"import_id": import_id})
    envelope = new_envelope(event, SERVICE, correlation_id=correlation_id)
    groups = audit_groups(state) if body.diversity is not None else None
    return [envelope, *([new_envelope(groups, SERVICE, caused_by=envelope)] if groups else [])]


class Registrar:
    def __init__(
        self,
        participants: ParticipantStore,
        programs: ProgramStore,
        wake_relay: Callable[[], None],
        taxonomies: TaxonomyStore,
        people: PeopleDirectory,
        clock: Callable[[], datetime],
    ) -> None:
        """`clock`: the service's "now" (the composition root's), which no consent may
        be dated after."""
        self.clock = clock
        self.people = people
        self.taxonomies = taxonomies
        self.participants = participants
        self.programs = programs
        self.wake_relay = wake_relay

    async def open_program(self, program_id: str) -> ProgramState:
        program = await self.programs.get(program_id)
        if program is None:
            raise NotFound("program_id", f"no program {program_id}")
        if program["status"] != ProgramStatus.PUBLISHED:
            raise Conflict("program_id", f"program {program_id} is not open for registration")
        return program

    async def enrol(
        self,
        body: Registration,
        caller: Caller,
        correlation_id: str | None,
        import_id: str | None = None,
    ) -> Registered:
        """Register `body` in its program (a second role joins the same participant);
        `import_id`: the bulk import it is a row of."""
        now = self.clock()
        check_consents(body, now)
        check_goals(body, now)
        body = with_canonical_skills(body, await self.taxonomies.current())
        program = await self.open_program(body.program_id)
        check_may_register(caller, program, body)
        key = email_key(body.program_id, str(body.email))
        participant_id = await self.participants.id_by_email_key(key) or new_participant_id()
        self_service = not caller.acts_for(program)
        person_id = await person_behind(self.people, self.participants, body, caller, self_service)
        link = (
            linking.link_to(person_id, caller, str(body.email), participant_id)
            if self_service
            else None
        )
        emitted: list[Envelope[Event]] = []

        def decide(
            state: ParticipantState | None,
        ) -> tuple[ParticipantState, list[Envelope[Event]]]:
            if state and self_service and state.get("account") != caller.subject:
                raise Conflict("email", "registered to another account")
            new_state, event = register(state, body, participant_id, person_id)
            if self_service:
                new_state["account"] = caller.subject
            envelope, *extra = registration_events(
                event, new_state, body, correlation_id, import_id
            )
            emitted[:] = [envelope]
            if link is not None:
                new_state = linking.with_link(new_state, link)
                extra.append(new_envelope(link, SERVICE, caused_by=envelope))
            return new_state, [envelope, *extra]

        try:
            changed = await self.participants.apply(participant_id, decide)
        except DuplicateKeyError:
            raise Conflict("email", "already registered in this program") from None
        self.wake_relay()
        return Registered(
            participant_id=participant_id,
            roles=changed.state["roles"],
            event_id=emitted[0].id,
            correlation_id=emitted[0].correlation_id,
        )
