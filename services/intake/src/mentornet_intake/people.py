"""The people behind enrolments: one person per e-mail address across every program.

A participant id names an enrolment (a person in one program); the person id is the
same in every program the person joins, so the matcher can hold one capacity ledger per
human. Someone registering themself is named by their identity provider subject; someone
a coordinator registers first is given a new id, which they keep when they later sign
up themself (their subject is then the enrolment's account, docs/security.md).
"""

from __future__ import annotations

import uuid

from mentornet_chassis.mongo import Document
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

PEOPLE = "people"


def new_person_id() -> str:
    return f"person-{uuid.uuid4().hex[:16]}"


def person_key(email: str) -> str:
    return email.strip().lower()


class PeopleDirectory:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.people: AsyncCollection[Document] = db[PEOPLE]

    async def person_for(self, email: str, subject: str | None) -> str:
        """The person with this e-mail address, created if new (named `subject` when the
        person registers themself). Concurrent first registrations agree on one id: the
        first insert wins, the others read it."""
        key = person_key(email)
        found = await self.people.find_one({"_id": key})
        if found is None:
            chosen = subject or new_person_id()
            try:
                await self.people.insert_one({"_id": key, "person_id": chosen})
                return chosen
            except DuplicateKeyError:
                found = await self.people.find_one({"_id": key})
        if found is None:
            raise RuntimeError("a person's entry vanished while being created")
        return str(found["person_id"])

    async def known(self, email: str) -> str | None:
        """The person this address names, if any (nothing is created)."""
        found = await self.people.find_one({"_id": person_key(email)})
        return str(found["person_id"]) if found else None

    async def forget(self, email: str) -> None:
        """Erasure: the address no longer names anyone."""
        await self.people.delete_one({"_id": person_key(email)})
