"""The identity book on the real MongoDB-wire server: a person's enrolments, found from
any subject naming them, and forgotten whole when the last one is erased, even when
their erasures arrive at once; and what an erasure drops from the Idempotency-Key
answers."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from mentornet_chassis.http.answers import IdempotencyStore
from mentornet_chassis.store.identity import IdentityBook
from mentornet_contracts.events.participants import person_id_of
from pymongo import AsyncMongoClient

pytestmark = pytest.mark.integration


async def test_erasing_every_enrolment_at_once_forgets_the_person(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    book = IdentityBook(mongo[f"identity_{unique}"])
    await book.ensure_indexes()
    enrolments = [f"p-{n}" for n in range(6)]
    for enrolment in enrolments:
        await book.enrol(person_id_of("auth0|ada"), enrolment)
    await book.enrol("grace", "p-9")
    assert await book.enrolments_of("auth0|ada") == set(enrolments)
    assert await book.people_of("p-3") != set()

    await asyncio.gather(*(book.forget(e) for e in enrolments))

    assert await book.enrolments_of("auth0|ada") == set()
    assert await book.people.count_documents({}) == 1, "only grace is left"
    assert await book.enrolments_of("grace") == {"p-9"}


async def test_a_linked_sign_in_has_the_persons_enrolments_until_they_are_erased(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    book = IdentityBook(mongo[f"linked_{unique}"])
    await book.ensure_indexes()
    await book.enrol("person-grace", "p-1")
    await book.enrol("person-grace", "p-2")
    signed_in_as = person_id_of("auth0|grace")
    assert await book.enrolments_of("auth0|grace") == set()
    await book.link(signed_in_as, "person-grace")
    assert await book.enrolments_of("auth0|grace") == {"p-1", "p-2"}
    await asyncio.gather(book.forget("p-1"), book.forget("p-2"))
    assert await book.enrolments_of("auth0|grace") == set()
    assert await book.people.count_documents({}) == 0, "the link goes with the person"


async def test_erasure_drops_exactly_the_answers_made_by_or_about_the_person(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    store = IdempotencyStore(mongo[f"answers_{unique}"]["idempotency"])

    def kept(doc_id: str, body: object) -> dict[str, Any]:
        answer = {"status": 200, "headers": [], "body": json.dumps(body)}
        return {"_id": doc_id, "state": "done", "answer": answer}

    await store.collection.insert_many(
        [
            kept("auth0|ada|POST /feedback-requests/fr-1/answers|k1", {"words": "mine"}),
            kept("coordinator-1|POST /participants/mentees|k2", {"participant_id": "p-1"}),
            kept("coordinator-1|POST /participants/mentees|k3", {"participant_id": "p-12"}),
            kept("bob|POST /participants/p-1/withdraw|k4", {"status": "withdrawn"}),
            kept("bob|POST /sessions/s-1/cancel|k5", {"note": "ask p-1 later"}),
        ]
    )
    assert await store.forget({"p-1", person_id_of("auth0|ada")}) == 3
    left = sorted([doc["_id"] async for doc in store.collection.find({})])
    assert left == [
        "bob|POST /sessions/s-1/cancel|k5",
        "coordinator-1|POST /participants/mentees|k3",
    ], "ids inside longer strings and other people's answers stay"


async def test_a_linked_sign_in_keeps_its_own_enrolments_when_the_person_goes(
    mongo: AsyncMongoClient[dict[str, Any]], unique: str
) -> None:
    book = IdentityBook(mongo[f"own_{unique}"])
    signed_in_as = person_id_of("auth0|grace")
    await book.enrol("person-grace", "p-1")
    await book.enrol(signed_in_as, "p-own")
    await book.link(signed_in_as, "person-grace")
    assert await book.enrolments_of("auth0|grace") == {"p-1", "p-own"}
    await book.forget("p-1")
    assert await book.enrolments_of("auth0|grace") == {"p-own"}
