"""Registering many new people of one program at once: an import's chunk in a few store
commands rather than several per row.

The rules are those of `Registrar.enrol` (registrar.py), checked per body; the reads
they need (the program, the taxonomy, which addresses are enrolled, the people behind
them) are made once for the chunk, and the new participants are inserted in one write
with their events in their outboxes. A body this path cannot settle alone (its address
is enrolled already, appears twice in the chunk, names a person, or the caller does not
act for the program) is handed back to go through `enrol` one by one. Whether an
address is enrolled already is not read first: the insert finds it (the address's
unique index refuses that document alone), which spares every chunk a query that
grows with the program."""

from __future__ import annotations

from collections.abc import Sequence

from mentornet_chassis.errors import Refusal
from mentornet_chassis.store.bulk import NewAggregate, insert_new
from mentornet_contracts import Envelope, Event

from ..domain.caller import Caller
from ..domain.registration import email_key, register, with_canonical_skills
from ..domain.taxonomy import Taxonomy
from .registrar import (
    Registered,
    Registrar,
    Registration,
    check_consents,
    check_goals,
    check_may_register,
    new_participant_id,
    registration_events,
)

ONE_BY_ONE = None
"""A body to register through `Registrar.enrol`."""
Result = Registered | Refusal | None


def _checked(registrar: Registrar, body: Registration, taxonomy: Taxonomy) -> Registration:
    now = registrar.clock()
    check_consents(body, now)
    check_goals(body, now)
    return with_canonical_skills(body, taxonomy)


async def enrol_many(
    registrar: Registrar,
    program_id: str,
    bodies: Sequence[Registration],
    caller: Caller,
    correlation_id: str,
    import_id: str | None = None,
) -> list[Result]:
    """Per body, in order: Registered, the Refusal it gets, or ONE_BY_ONE."""
    try:
        program = await registrar.open_program(program_id)
    except Refusal as closed:
        return [closed] * len(bodies)
    if not caller.acts_for(program):
        return [ONE_BY_ONE] * len(bodies)
    taxonomy = await registrar.taxonomies.current()
    results: list[Result] = [ONE_BY_ONE] * len(bodies)
    ready: dict[int, Registration] = {}
    for n, body in enumerate(bodies):
        try:
            checked = _checked(registrar, body, taxonomy)
            check_may_register(caller, program, checked)
        except Refusal as refusal:
            results[n] = refusal
            continue
        ready[n] = checked
    first: dict[str, int] = {}
    for n, body in ready.items():
        if body.person_id is None:
            first.setdefault(email_key(program_id, str(body.email)), n)
    fresh = {n: ready[n] for n in first.values()}
    people = await registrar.people.people_for([str(b.email) for b in fresh.values()])
    created = {n: _new(body, people, correlation_id, import_id) for n, body in fresh.items()}
    refused = await insert_new(registrar.participants.aggregates, [c for c, _ in created.values()])
    for n, (new, envelope) in created.items():
        if new.aggregate_id not in refused:
            results[n] = Registered(
                new.aggregate_id, new.state["roles"], envelope.id, envelope.correlation_id
            )
    registrar.wake_relay()
    return results


def _new(
    body: Registration, people: dict[str, str], correlation_id: str, import_id: str | None
) -> tuple[NewAggregate, Envelope[Event]]:
    participant_id = new_participant_id()
    person_id = people[str(body.email).strip().lower()]
    state, event = register(None, body, participant_id, person_id)
    events = registration_events(event, state, body, correlation_id, import_id)
    return NewAggregate(participant_id, dict(state), events), events[0]
