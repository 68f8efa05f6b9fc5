"""Intake's MongoDB repository: participants are aggregates that emit through the outbox."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.aggregates import AggregateStore

PARTICIPANTS = "participants"
PROGRAMS = "programs"


class ParticipantStore:
    def __init__(self, aggregates: AggregateStore) -> None:
        self.aggregates = aggregates

    async def ensure_indexes(self) -> None:
        await self.aggregates.collection.create_index("state.email_key", unique=True, sparse=True)

    async def find_by_email_key(self, key: str) -> dict[str, Any] | None:
        return await self.aggregates.collection.find_one({"state.email_key": key})

    async def get(self, participant_id: str) -> dict[str, Any] | None:
        return await self.aggregates.get_state(participant_id)
