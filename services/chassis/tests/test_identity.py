"""The identity book on the real MongoDB-wire server: a person's enrolments, found from
any subject naming them, and forgotten whole when the last one is erased, even when
their erasures arrive at once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from mentornet_chassis.identity import IdentityBook
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
