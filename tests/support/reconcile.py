"""Reconciling each service's database with what was sent: intake registered every
person exactly once, and every consumer holds every person it is meant to, having
applied their registration once."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from mentornet_contracts.catalogue import PARTICIPANTS
from mentornet_tooling.testing.kafka import all_records, header
from mentornet_tooling.testing.poll import eventually

from tests.support.faultstack import Doc, LocalStack

READ_MODELS = {
    "matcher": "candidates",
    "scheduler": "calendars",
    "feedback": "people",
    "qa": "people",
}
"""Where each consumer keeps what it learns from mentornet.participants: one aggregate
per participant (its id is the participant's), with the ids of the events it applied."""
HOLDS_MENTORS = {"matcher": True, "scheduler": True, "feedback": False, "qa": True}
"""Feedback follows mentees' goals only; the others keep both roles."""
WRITTEN_ONLY_BY_EVENTS = {"matcher": True, "scheduler": True, "feedback": True, "qa": False}
"""QA's person documents also take the matcher's waitlist events, so theirs may hold
more than the registration; the others are written by the registration alone here."""
REGISTERED_TYPES = {"mentornet.mentee.registered.v2", "mentornet.mentor.registered.v2"}


async def intake_people(stack: LocalStack, program_id: str) -> list[Doc]:
    async with stack.mongo() as mongo:
        cursor = mongo["mentornet_intake"]["participants"].find({"state.program_id": program_id})
        return [doc async for doc in cursor]


async def registration_records(stack: LocalStack, people: set[str]) -> list[Any]:
    """The participants' registration records on the broker, in offset order per
    partition (a relay that died between publishing an entry and marking it sent
    publishes it again, with the same event id)."""
    return await all_records(
        stack.bootstrap,
        PARTICIPANTS.name,
        lambda r: (
            r.key is not None
            and r.key.decode() in people
            and header(r, "ce_type") in REGISTERED_TYPES
        ),
    )


async def registration_events(stack: LocalStack, people: set[str]) -> dict[str, set[str]]:
    """Each participant's registration event ids, as published."""
    ids: dict[str, set[str]] = defaultdict(set)
    for record in await registration_records(stack, people):
        ids[record.key.decode()].add(str(header(record, "ce_id")))
    return ids


async def read_model(stack: LocalStack, service: str, people: set[str]) -> dict[str, Doc]:
    async with stack.mongo() as mongo:
        collection = mongo[f"mentornet_{service}"][READ_MODELS[service]]
        cursor = collection.find({"_id": {"$in": sorted(people)}})
        return {doc["_id"]: doc async for doc in cursor}


def kept_by_each(mentees: set[str], mentors: set[str]) -> dict[str, set[str]]:
    return {s: mentees | mentors if HOLDS_MENTORS[s] else mentees for s in READ_MODELS}


async def caught_up(stack: LocalStack, expected: dict[str, set[str]]) -> None:
    """Wait until every consumer has applied everyone's registration it should. A
    document alone is not enough: QA's can come first from a waitlist event, which a
    restarted QA may replay before the registration (the topics go side by side)."""
    everyone: set[str] = set().union(*expected.values())
    registered: dict[str, set[str]] = {}
    for service, people in expected.items():

        async def holds_all(service: str = service, people: set[str] = people) -> bool:
            docs = await read_model(stack, service, people)
            if set(docs) != people:
                return False
            if not everyone <= set(registered):
                registered.update(await registration_events(stack, everyone))
            return all(registered.get(p, set()) & set(doc["inbox"]) for p, doc in docs.items())

        await eventually(holds_all, timeout=150, interval=1, what=f"{service} to catch up")


def applied_once(doc: Doc, event_id: str, *, only_event: bool) -> bool:
    """The registration is in the aggregate's inbox once, nothing in it twice, and every
    write the aggregate took applied one event of the inbox (no write without one, no
    event written twice); `only_event`: the registration is all it took."""
    inbox = list(doc["inbox"])
    once = inbox.count(event_id) == 1 and len(set(inbox)) == len(inbox)
    if only_event:
        return once and inbox == [event_id] and doc["version"] == 1
    return once and doc["version"] == len(inbox)


async def reconcile(
    stack: LocalStack, mentees: set[str], mentors: set[str]
) -> tuple[dict[str, dict[str, Doc]], dict[str, str]]:
    """Each person's registration published under one event id, and each consumer
    holding exactly the people it keeps, each registration applied once. Returns each
    consumer's documents and each person's registration event id."""
    everyone = mentees | mentors
    events = await registration_events(stack, everyone)
    assert set(events) == everyone
    assert Counter(len(ids) for ids in events.values()) == {1: len(everyone)}
    event_of = {person: next(iter(ids)) for person, ids in events.items()}
    models = {}
    for service, kept in kept_by_each(mentees, mentors).items():
        docs = await read_model(stack, service, everyone)
        assert set(docs) == kept, service
        only = WRITTEN_ONLY_BY_EVENTS[service]
        twice = [
            p for p, doc in docs.items() if not applied_once(doc, event_of[p], only_event=only)
        ]
        assert twice == [], f"{service}: {[(p, docs[p]['inbox']) for p in twice[:3]]}"
        models[service] = docs
    return models, event_of
