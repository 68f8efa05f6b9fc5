"""Matcher's MongoDB repository."""

from __future__ import annotations

from mentornet_chassis.aggregates import AggregateStore

CANDIDATES = "candidates"


class CandidateStore:
    def __init__(self, aggregates: AggregateStore) -> None:
        self.aggregates = aggregates

    async def get(self, participant_id: str) -> dict[str, object] | None:
        return await self.aggregates.get_state(participant_id)
