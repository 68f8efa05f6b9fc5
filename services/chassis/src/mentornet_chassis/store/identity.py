"""Who a caller is, in every service: a person (the token's `sub`) and their enrolments.

Matches, sessions and feedback name people by enrolment (participant id, one per
program). Registration events say which person each enrolment belongs to, so every
service that reads them keeps a small book, person to enrolments, and the guard gives
each caller their enrolments: the person signs in once and is the mentor, the mentee
or the person themself wherever one of their enrolments is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from mentornet_contracts import Envelope, Event
from mentornet_contracts.catalogue import PARTICIPANTS
from mentornet_contracts.events.participants import (
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    PersonLinked,
    person_id_of,
)
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from mentornet_chassis.messaging.records import Handler
from mentornet_chassis.store.coalesce import CoalescedCollection
from mentornet_chassis.store.mongo import Document

if TYPE_CHECKING:
    from mentornet_chassis.process.runtime import ServiceParts

IDENTITIES = "identities"
Enrolments = Callable[[str], Awaitable[frozenset[str]]]
"""A subject to the enrolments of the person it names."""
ForgetAnswers = Callable[[Collection[str]], Awaitable[int]]
REGISTRATIONS: tuple[type[MenteeRegistered | MentorRegistered], ...] = (
    MenteeRegistered,
    MentorRegistered,
)


class IdentityBook:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.people: AsyncCollection[Document] = db[IDENTITIES]
        self._coalesced = CoalescedCollection(self.people)
        """A burst of registrations handled side by side reads and adds its new people
        with one command each (coalesce.py)."""

    async def ensure_indexes(self) -> None:
        await self.people.create_index("enrolments")

    async def enrol(self, person_id: str, participant_id: str) -> None:
        await self._add(person_id, "enrolments", participant_id)

    async def link(self, signed_in_as: str, person_id: str) -> None:
        """A sign-in is this person too (person.linked)."""
        await self._add(signed_in_as, "same_as", person_id)

    async def _add(self, entry_id: str, field: str, value: str) -> None:
        """`value` into the entry's list `field`, written on the version read (nx-27017
        does not add a new array field with $addToSet to an existing document)."""
        while True:
            found = await self._coalesced.find_by_id(entry_id)
            if found is None:
                with contextlib.suppress(DuplicateKeyError):
                    await self._coalesced.insert({"_id": entry_id, field: [value], "version": 1})
                    return
                continue
            if value in found.get(field, []):
                return
            added = {"$set": {field: [*found.get(field, []), value]}, "$inc": {"version": 1}}
            if (await self.people.update_one(_as_read(found), added)).matched_count == 1:
                return

    async def forget(self, participant_id: str) -> None:
        """An erased enrolment belongs to no one any more; a person left with none is
        forgotten (their subject may itself say who they are). Each write is on the
        version read, so erasures of one person's enrolments at once (they arrive on
        different partitions) do not undo each other."""
        for person in await self.people_of(participant_id):
            while not await self._without(person, participant_id):
                pass

    async def _without(self, person: str, participant_id: str) -> bool:
        """One try: whether the person's entry now lacks the enrolment."""
        found = await self.people.find_one({"_id": person})
        if found is None or participant_id not in found.get("enrolments", []):
            return True
        left = [e for e in found["enrolments"] if e != participant_id]
        read = _as_read(found)
        if left or found.get("same_as"):
            changed = {"$set": {"enrolments": left}, "$inc": {"version": 1}}
            return (await self.people.update_one(read, changed)).matched_count == 1
        if (await self.people.delete_one(read)).deleted_count == 0:
            return False
        await self._unlinked_from(person)
        return True

    async def _unlinked_from(self, person: str) -> None:
        """Sign-ins linked to a forgotten person lose the link, keep their own
        enrolments, and go when nothing is left."""
        linked = [doc async for doc in self.people.find({"same_as": {"$in": [person]}})]
        for doc in linked:
            left = [p for p in doc.get("same_as", []) if p != person]
            read = _as_read(doc)
            if left or doc.get("enrolments"):
                changed = {"$set": {"same_as": left}, "$inc": {"version": 1}}
                await self.people.update_one(read, changed)
            else:
                await self.people.delete_one(read)

    async def people_of(self, participant_id: str) -> frozenset[str]:
        cursor = self.people.find(_holding(participant_id), {"_id": 1})
        return frozenset([str(doc["_id"]) async for doc in cursor])

    async def enrolments_of(self, subject: str) -> frozenset[str]:
        found = await self.people.find_one({"_id": person_id_of(subject)}) or {}
        enrolments = set(found.get("enrolments", []))
        for person in found.get("same_as", []):
            linked = await self.people.find_one({"_id": person}) or {}
            enrolments |= set(linked.get("enrolments", []))
        return frozenset(enrolments)


def _as_read(entry: Document) -> dict[str, Any]:
    """A filter matching the entry only as it was read."""
    return (
        {"_id": entry["_id"], "version": entry["version"]}
        if "version" in entry
        else {"_id": entry["_id"]}
    )


def _holding(participant_id: str) -> dict[str, Any]:
    """People holding this enrolment. Written with $in: nx-27017 misses a plain equality
    on an indexed array (docs/embedded-stack.md)."""
    return {"enrolments": {"$in": [participant_id]}}


def knowing_people(
    db: AsyncDatabase[Document], parts: ServiceParts, forget_answers: ForgetAnswers
) -> ServiceParts:
    """A service that reads registrations keeps an identity book, unless it brings its
    own way to find a caller's enrolments (intake, which registers them). An erasure
    also drops the answers kept for Idempotency-Key repeats made by or about the person."""
    if parts.enrolments is not None or PARTICIPANTS not in parts.consumes:
        return parts
    book = IdentityBook(db)
    return replace(
        parts,
        handlers=keeping(book, parts.handlers, forget_answers),
        enrolments=book.enrolments_of,
        on_startup=[*parts.on_startup, book.ensure_indexes],
    )


def keeping(
    book: IdentityBook,
    handlers: Mapping[type[Event], Handler],
    forget_answers: ForgetAnswers | None = None,
) -> dict[type[Event], Handler]:
    """`handlers`, each registration first written into the book (and each erasure
    taken out of it), whether or not the service itself handles the event."""
    kept: dict[type[Event], Handler] = dict(handlers)
    for kind in REGISTRATIONS:
        kept[kind] = _enrolling(book, handlers.get(kind))
    kept[ParticipantErased] = _forgetting(book, handlers.get(ParticipantErased), forget_answers)
    kept[PersonLinked] = _linking(book, handlers.get(PersonLinked))
    return kept


def _enrolling(book: IdentityBook, then: Handler | None) -> Handler:
    async def handle(envelope: Envelope[Any]) -> Any:
        registered = envelope.event
        person = registered.person_id or registered.participant_id
        await book.enrol(person, registered.participant_id)
        return await then(envelope) if then is not None else None

    return handle


def _linking(book: IdentityBook, then: Handler | None) -> Handler:
    async def handle(envelope: Envelope[Any]) -> Any:
        linked = envelope.event
        await book.link(linked.signed_in_as, linked.person_id)
        return await then(envelope) if then is not None else None

    return handle


def _forgetting(
    book: IdentityBook, then: Handler | None, forget_answers: ForgetAnswers | None
) -> Handler:
    async def handle(envelope: Envelope[Any]) -> Any:
        result = await then(envelope) if then is not None else None
        erased = envelope.event.participant_id
        people = await book.people_of(erased)
        if forget_answers is not None:
            await forget_answers({erased, *people})
        await book.forget(erased)
        return result

    return handle
