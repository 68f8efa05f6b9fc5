"""Intake's MongoDB repository: participants are aggregates that emit through the outbox."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.aggregates import AggregateStore
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

    async def find_by_email_key(self, key: str) -> dict[str, Any] | None:
        return await self.aggregates.collection.find_one({"state.email_key": key})

    async def enrolled(self, participant: dict[str, Any]) -> bool:
        """Whether the participant's person is still active in some program."""
        person_id = participant.get("person_id")
        if not person_id:
            return False
        query = {"state.person_id": person_id, "state.status": "active"}
        return await self.aggregates.collection.find_one(query, {"_id": 1}) is not None

    async def enrolments_of(self, subject: str) -> frozenset[str]:
        """The enrolments of the person a token's subject names (identity.py)."""
        person = person_id_of(subject)
        query = {"$or": [{"state.person_id": person}, {"state.account": subject}]}
        cursor = self.aggregates.collection.find(query, {"_id": 1})
        return frozenset([str(doc["_id"]) async for doc in cursor])

    async def get(self, participant_id: str) -> dict[str, Any] | None:
        return await self.aggregates.get_state(participant_id)
