"""A matcher wired to the real MongoDB-wire server without a broker: stores, batch runs,
matchmaker, decisions and rematcher, plus helpers to seed programs and people."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mentornet_chassis.store.aggregates import AggregateStore, Decision, State
from mentornet_chassis.store.typed import typed, untyped
from mentornet_contracts.catalogue import REGISTRY
from mentornet_contracts.events.matches import EndCause
from mentornet_contracts.events.participants import (
    MenteeRegistered,
    MentorRegistered,
    ParticipantWithdrawn,
)
from mentornet_matcher.domain import candidates
from mentornet_matcher.domain.documents import Match
from mentornet_matcher.store import BatchRuns, MatcherStores
from mentornet_matcher.usecases.decisions import Decisions
from mentornet_matcher.usecases.matchmaker import Matchmaker
from mentornet_matcher.usecases.pauses import Pauses
from mentornet_matcher.usecases.rematch import Rematcher
from mentornet_matcher.workers import BatchWorker
from mentornet_tooling.testing.examples import program_published
from pymongo.asynchronous.database import AsyncDatabase

PROGRAM: dict[str, Any] = program_published(
    name="Race", max_monthly_hours_per_mentor=20
).model_dump(mode="json")


@dataclass
class World:
    stores: MatcherStores
    runs: BatchRuns
    matchmaker: Matchmaker
    decisions: Decisions
    rematcher: Rematcher
    pauses: Pauses
    now: list[datetime] = field(default_factory=lambda: [datetime(2027, 2, 1, 9, tzinfo=UTC)])
    """The clock pauses read (tests move it)."""

    @classmethod
    def on(cls, db: AsyncDatabase[dict[str, Any]]) -> World:
        stores = MatcherStores(
            *(
                AggregateStore(db[name], REGISTRY)
                for name in ("c", "p", "m", "l", "w", "g", "t", "x")
            )
        )
        runs = BatchRuns(db, schedule_s=3600)
        matchmaker = Matchmaker(stores, runs, lambda: None)
        rematcher = Rematcher(stores, matchmaker)
        now = [datetime(2027, 2, 1, 9, tzinfo=UTC)]
        pausing = Pauses(stores, lambda: now[0], lambda: None)
        decisions = Decisions(stores, matchmaker, rematcher)
        return cls(stores, runs, matchmaker, decisions, rematcher, pausing, now)

    def clock(self) -> datetime:
        return self.now[0]

    async def program(self, **changes: Any) -> None:
        program = {**PROGRAM, **changes}
        await self.stores.programs.apply(program["program_id"], lambda _: Decision(state=program))

    async def add(self, *people: MenteeRegistered | MentorRegistered) -> None:
        for person in people:
            await self.stores.candidates.apply(person.participant_id, _registering(person))
            if isinstance(person, MentorRegistered):
                await self.runs.request(person.program_id, roster_changed=True)

    async def withdraw(self, participant_id: str) -> None:
        """What the participant.withdrawn handler does: read model, roster, rematch."""
        withdrawn = ParticipantWithdrawn(participant_id=participant_id)
        await self.stores.candidates.apply(
            participant_id,
            lambda current: Decision(
                state=untyped(candidates.on_withdrawn(typed(current), withdrawn))
            ),
        )
        await self.runs.request("prog-1", roster_changed=True)
        await self.rematcher.participant_left(participant_id, EndCause.PARTICIPANT_WITHDRAWN)

    async def batch(self, program_id: str = "prog-1") -> dict[str, Any]:
        claimed = await self.runs.claim("test")
        assert claimed is not None
        assert claimed["_id"] == program_id
        assert await BatchWorker(self.runs, self.matchmaker, 1.0).run_one(claimed)
        doc = await self.runs.get(program_id)
        assert doc is not None
        return dict(doc["last"])

    async def live(self, program_id: str = "prog-1") -> list[Match]:
        ended = ("declined", "ended", "superseded")
        return [m for m in await self.stores.matches_in(program_id) if m["status"] not in ended]

    async def match_of(self, mentee_id: str) -> Match:
        found = [m for m in await self.live() if m["mentee_id"] == mentee_id]
        assert len(found) == 1, found
        return found[0]


def _registering(person: MenteeRegistered | MentorRegistered) -> Any:
    def decide(current: State | None) -> Decision:
        if isinstance(person, MentorRegistered):
            return Decision(state=untyped(candidates.on_mentor_registered(typed(current), person)))
        return Decision(state=untyped(candidates.on_mentee_registered(typed(current), person)))

    return decide


async def emitted(world: World, match_id: str) -> list[dict[str, Any]]:
    """The events a match has waiting in its outbox (no relay runs in these tests)."""
    doc = await world.stores.matches.collection.find_one({"_id": match_id})
    assert doc is not None
    return [
        {"type": entry["type"], **json.loads(entry["value"])} for entry in doc.get("outbox", [])
    ]
