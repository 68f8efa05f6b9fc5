"""Scheduler's MongoDB collections, each an aggregate store that emits through its
outbox, and the queries booking, the timers and the HTTP API need."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mentornet_chassis.aggregates import AggregateStore
from pymongo.asynchronous.collection import AsyncCollection

CALENDARS = "calendars"
PROGRAMS = "programs"
MATCHES = "matches"
LEDGERS = "ledgers"
COHORTS = "cohorts"
SESSION_INDEX = "session_index"

State = dict[str, Any]


@dataclass(frozen=True)
class SchedulerStores:
    calendars: AggregateStore
    programs: AggregateStore
    matches: AggregateStore
    ledgers: AggregateStore
    cohorts: AggregateStore

    def all(self) -> list[AggregateStore]:
        return [self.calendars, self.programs, self.matches, self.ledgers, self.cohorts]

    @property
    def session_index(self) -> AsyncCollection[State]:
        """Session id to match id. A query on `state.sessions.session_id` would do on
        MongoDB with a multikey index, but the embedded server finds nothing once such
        an index exists (docs/embedded-stack.md); this small collection works on both."""
        return self.matches.collection.database[SESSION_INDEX]

    async def index_sessions(self, match_id: str, session_ids: Iterable[str]) -> None:
        """Written before the sessions themselves: an entry for a session whose write
        then lost a race points to a match without it, which reads as not found."""
        for session_id in session_ids:
            await self.session_index.update_one(
                {"_id": session_id}, {"$set": {"match_id": match_id}}, upsert=True
            )

    async def ensure_indexes(self) -> None:
        for field in ("state.due_epoch", "state.mentor_id", "state.mentee_id", "state.program_id"):
            await self.matches.collection.create_index(field)
        await self.cohorts.collection.create_index("state.due_epoch")

    async def _states(self, store: AggregateStore, query: dict[str, Any]) -> list[State]:
        return [doc["state"] async for doc in store.collection.find(query) if doc.get("state")]

    async def matches_of(self, participant_id: str) -> list[State]:
        """Every match the participant is in, as mentor or as mentee."""
        return await self._states(
            self.matches,
            {"$or": [{"state.mentor_id": participant_id}, {"state.mentee_id": participant_id}]},
        )

    async def matches_in(self, program_id: str) -> list[State]:
        return await self._states(self.matches, {"state.program_id": program_id})

    async def match_with_session(self, session_id: str) -> State | None:
        entry = await self.session_index.find_one({"_id": session_id})
        match = await self.matches.get_state(entry["match_id"]) if entry else None
        if match is None or all(s["session_id"] != session_id for s in match["sessions"]):
            return None
        return match

    async def due_matches(self, now_epoch: float, limit: int = 200) -> list[str]:
        cursor = self.matches.collection.find(
            {"state.due_epoch": {"$lte": now_epoch}}, {"_id": 1}
        ).limit(limit)
        return [doc["_id"] async for doc in cursor]

    async def due_cohorts(self, now_epoch: float) -> list[str]:
        cursor = self.cohorts.collection.find({"state.due_epoch": {"$lte": now_epoch}}, {"_id": 1})
        return [doc["_id"] async for doc in cursor]
