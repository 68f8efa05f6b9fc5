"""The people behind enrolments: one person per e-mail address across every program.

A participant id names an enrolment (a person in one program); the person id is the
same in every program the person joins, so the matcher can hold one capacity ledger per
human. An address is bound to a person only on proof: a self-registrant's token carries
it as verified, or a program team registers the person (giving their subject, or not,
when they get a new id that a sign-in with the verified address may later link to).
Entries named by a subject (`named`) are never linked to another sign-in.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from mentornet_chassis.store.mongo import Document
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

PEOPLE = "people"


def new_person_id() -> str:
    return f"person-{uuid.uuid4().hex[:16]}"


def person_key(email: str) -> str:
    return email.strip().lower()


class PeopleDirectory:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.people: AsyncCollection[Document] = db[PEOPLE]

    async def person_for(self, email: str, subject: str | None) -> str:
        """The person with this e-mail address, created if new (named `subject`, else a
        new id). Concurrent first registrations agree on one id: the first insert wins,
        the others read it."""
        key = person_key(email)
        found = await self.people.find_one({"_id": key})
        if found is None:
            chosen = subject or new_person_id()
            try:
                await self.people.insert_one(
                    {"_id": key, "person_id": chosen, "named": subject is not None}
                )
                return chosen
            except DuplicateKeyError:
                found = await self.people.find_one({"_id": key})
        if found is None:
            raise RuntimeError("a person's entry vanished while being created")
        return str(found["person_id"])

    async def people_for(self, emails: Sequence[str]) -> dict[str, str]:
        """`person_for` for many addresses without a subject: person id by address key,
        with two store commands for the lot (a read, and one insert of the new ones)."""
        keys = sorted({person_key(email) for email in emails})
        found = {
            str(d["_id"]): str(d["person_id"])
            async for d in self.people.find({"_id": {"$in": keys}})
        }
        new = [
            {"_id": k, "person_id": new_person_id(), "named": False} for k in keys if k not in found
        ]
        if not new:
            return found
        try:
            await self.people.insert_many(new, ordered=False)
            return found | {str(d["_id"]): str(d["person_id"]) for d in new}
        except BulkWriteError:
            cursor = self.people.find({"_id": {"$in": [d["_id"] for d in new]}})
            found |= {str(d["_id"]): str(d["person_id"]) async for d in cursor}
        if len(found) < len(keys):
            raise RuntimeError("people's entries could not be created")
        return found

    async def known(self, email: str) -> str | None:
        """The person this address names, if any (nothing is created)."""
        found = await self.people.find_one({"_id": person_key(email)})
        return str(found["person_id"]) if found else None

    async def linkable(self, email: str) -> str | None:
        """The person this address names, if a sign-in may be linked to them: one a
        program team registered without a subject."""
        found = await self.people.find_one({"_id": person_key(email)})
        return str(found["person_id"]) if found and not found.get("named", True) else None

    async def address_of(self, person_id: str) -> str | None:
        found = await self.people.find_one({"person_id": person_id})
        return str(found["_id"]) if found else None

    async def forget(self, email: str) -> None:
        """Erasure: the address no longer names anyone."""
        await self.people.delete_one({"_id": person_key(email)})
