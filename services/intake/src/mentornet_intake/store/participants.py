"""Participants in MongoDB: aggregates that emit through the outbox."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_chassis.store.mongo import Document
from mentornet_chassis.store.typed import Change, Documents
from mentornet_contracts import Envelope, Event
from mentornet_contracts.events.participants import person_id_of

from ..domain.participant import ParticipantState, ParticipantStatus

PARTICIPANTS = "participants"
Sent = Envelope[Event]
Decide = Callable[[ParticipantState | None], tuple[ParticipantState | None, Sequence[Sent]]]
"""The new state (None: leave it as it is) and the events to emit with it."""


@dataclass(frozen=True)
class Changed:
    state: ParticipantState
    emitted: bool


class ParticipantStore:
    def __init__(self, aggregates: AggregateStore) -> None:
        self.aggregates = aggregates
        self.documents: Documents[ParticipantState] = Documents(aggregates)

    async def ensure_indexes(self) -> None:
        await self.aggregates.collection.create_index("state.email_key", unique=True, sparse=True)
        await self.aggregates.collection.create_index("state.person_id")
        await self.aggregates.collection.create_index("state.account")
        await self.aggregates.collection.create_index("state.linked")

    async def id_by_email_key(self, key: str) -> str | None:
        found = await self.aggregates.collection.find_one({"state.email_key": key}, {"_id": 1})
        return str(found["_id"]) if found else None

    async def uses_address(self, email: str) -> bool:
        """Whether an enrolment not erased still has this address."""
        live = [ParticipantStatus.ACTIVE.value, ParticipantStatus.WITHDRAWN.value]
        query = {"state.email": email, "state.status": {"$in": live}}
        return await self.aggregates.collection.find_one(query, {"_id": 1}) is not None

    async def enrolments_of(self, subject: str) -> frozenset[str]:
        """The enrolments of the person a token's subject names (chassis store/identity.py): their
        own, those they signed up for themselves, and those of a person they were
        linked to (domain/linking.py). One query per indexed field rather than an `$or`,
        which the embedded store answers by scanning every participant, on every
        request; `linked` keeps `$in`, as the embedded store matches an array's member
        only that way (docs/embedded-stack.md)."""
        me = person_id_of(subject)
        found: dict[str, Document] = {}
        queries = (
            {"state.person_id": me},
            {"state.account": subject},
            {"state.linked": {"$in": [me]}},
        )
        for named in queries:
            found |= {str(d["_id"]): d async for d in self.aggregates.collection.find(named)}
        people = {
            me,
            *(str(d["state"]["person_id"]) for d in found.values() if d["state"].get("person_id")),
        }
        for person in sorted(people - {me}):
            cursor = self.aggregates.collection.find({"state.person_id": person}, {"_id": 1})
            found |= {str(d["_id"]): d async for d in cursor}
        return frozenset(found)

    async def an_enrolment_of(self, person_id: str, *, any_status: bool = False) -> str | None:
        query = {"state.person_id": person_id}
        if not any_status:
            query["state.status"] = ParticipantStatus.ACTIVE.value
        found = await self.aggregates.collection.find_one(query, {"_id": 1})
        return str(found["_id"]) if found else None

    async def get(self, participant_id: str) -> ParticipantState | None:
        return await self.documents.get(participant_id)

    async def apply(self, participant_id: str, decide: Decide) -> Changed:
        """One conditional write of the participant (or none), with its events."""

        def decision(current: ParticipantState | None) -> Change[ParticipantState]:
            state, events = decide(current)
            return Change(state, list(events))

        applied = await self.documents.apply(participant_id, decision)
        assert applied.state is not None, "participants are never deleted, only erased"
        return Changed(applied.state, bool(applied.emitted))
