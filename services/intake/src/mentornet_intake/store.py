"""Intake's MongoDB repository: participants are aggregates that emit through the outbox."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_contracts.events.participants import person_id_of

PARTICIPANTS = "participants"
PROGRAMS = "programs"


class ParticipantStore:
    def __init__(self, aggregates: AggregateStore) -> None:
        self.aggregates = aggregates

    async def ensure_indexes(self) -> None:
        await self.aggregates.collection.create_index("state.email_key", unique=True, sparse=True)
        await self.aggregates.collection.create_index("state.person_id")
        await self.aggregates.collection.create_index("state.account")
        await self.aggregates.collection.create_index("state.linked")

    async def find_by_email_key(self, key: str) -> dict[str, Any] | None:
        return await self.aggregates.collection.find_one({"state.email_key": key})

    async def uses_address(self, email: str) -> bool:
        """Whether an enrolment not erased still has this address."""
        query = {"state.email": email, "state.status": {"$in": ["active", "withdrawn"]}}
        return await self.aggregates.collection.find_one(query, {"_id": 1}) is not None

    async def enrolments_of(self, subject: str) -> frozenset[str]:
        """The enrolments of the person a token's subject names (identity.py): their
        own, those they signed up for themselves, and those of a person they were
        linked to (linking.py)."""
        me = person_id_of(subject)
        named = {
            "$or": [
                {"state.person_id": me},
                {"state.account": subject},
                {"state.linked": {"$in": [me]}},
            ]
        }
        found = [doc async for doc in self.aggregates.collection.find(named)]
        people = {me, *(str(d["state"]["person_id"]) for d in found if d["state"].get("person_id"))}
        theirs = self.aggregates.collection.find({"state.person_id": {"$in": sorted(people)}})
        return frozenset({str(d["_id"]) for d in found} | {str(d["_id"]) async for d in theirs})

    async def an_enrolment_of(self, person_id: str, *, any_status: bool = False) -> str | None:
        query = {"state.person_id": person_id}
        if not any_status:
            query["state.status"] = "active"
        found = await self.aggregates.collection.find_one(query, {"_id": 1})
        return str(found["_id"]) if found else None

    async def get(self, participant_id: str) -> dict[str, Any] | None:
        return await self.aggregates.get_state(participant_id)
