"""Scheduler's MongoDB collections, each an aggregate store that emits through its
outbox, and the queries booking, the timers and the HTTP API need.

The chassis keeps each aggregate's state as a plain document; `Documents` reads and
writes them as their domain type (domain/state.py), and `typed_update`, `typed_decide`
and `typed_due` hand the chassis's subscribers and timers domain functions on typed
state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar, cast

from mentornet_chassis.messaging.subscribers import Decide, Update
from mentornet_chassis.messaging.timers import Due
from mentornet_chassis.store.aggregates import AggregateStore, Decision, Outcome, State
from mentornet_chassis.store.identity import IdentityBook
from mentornet_chassis.store.lookup import Lookup
from mentornet_contracts import Event, new_envelope

from .domain.state import Calendar, Cohort, Ledger, Match

SERVICE = "scheduler"

CALENDARS = "calendars"
PROGRAMS = "programs"
MATCHES = "matches"
LEDGERS = "ledgers"
COHORTS = "cohorts"
SESSION_INDEX = "session_index"

Doc = TypeVar("Doc", Match, Ledger, Cohort, Calendar)


@dataclass(frozen=True)
class Change(Generic[Doc]):
    """A decision on one typed aggregate: its new state (None: leave it as it is) and
    the events that announce the change, sent as the scheduler's."""

    state: Doc | None
    events: Sequence[Event] = ()


@dataclass(frozen=True)
class Written(Generic[Doc]):
    applied: bool
    """False when nothing was written (the decision left the state as it was)."""
    state: Doc | None


@dataclass(frozen=True)
class Documents(Generic[Doc]):
    store: AggregateStore

    async def get(self, aggregate_id: str) -> Doc | None:
        return cast("Doc | None", await self.store.get_state(aggregate_id))

    async def apply(
        self, aggregate_id: str, decide: Callable[[Doc | None], Change[Doc]]
    ) -> Written[Doc]:
        """Load, decide, write conditionally on the version (chassis aggregates.py)."""

        def step(state: State | None) -> Decision:
            change = decide(cast("Doc | None", state))
            events = [new_envelope(e, SERVICE) for e in change.events]
            return Decision(cast("State | None", change.state), events)

        applied = await self.store.apply(aggregate_id, step)
        return Written(applied.outcome is Outcome.APPLIED, cast("Doc | None", applied.state))


def typed_update(update: Callable[[Doc | None, Any], Doc | None]) -> Update:
    """A domain update on typed state, for the chassis's subscribers."""
    return lambda state, event: cast("State | None", update(cast("Doc | None", state), event))


def typed_decide(decide: Callable[[Doc | None, Any], tuple[Doc | None, list[Event]]]) -> Decide:
    def step(state: State | None, event: Any) -> tuple[State | None, list[Event]]:
        decided, events = decide(cast("Doc | None", state), event)
        return cast("State | None", decided), events

    return step


def typed_due(due: Callable[[Doc, datetime], tuple[Doc, Sequence[Event]]]) -> Due:
    def step(state: State, now: datetime) -> tuple[State, Sequence[Event]]:
        changed, events = due(cast("Doc", state), now)
        return cast(State, changed), events

    return step


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
    def match_states(self) -> Documents[Match]:
        return Documents(self.matches)

    @property
    def ledger_states(self) -> Documents[Ledger]:
        """One per person: their booked mentoring time across programs."""
        return Documents(self.ledgers)

    @property
    def cohort_states(self) -> Documents[Cohort]:
        return Documents(self.cohorts)

    @property
    def calendar_states(self) -> Documents[Calendar]:
        return Documents(self.calendars)

    @property
    def people(self) -> IdentityBook:
        """Person to enrolments, kept from the registrations (chassis identity.py)."""
        return IdentityBook(self.matches.collection.database)

    async def person_of(self, participant_id: str) -> str:
        """Whose time an enrolment's sessions take: the person's (their hour ledger and
        their calendar are one across programs); records from before person ids name
        the enrolment itself."""
        people = await self.people.people_of(participant_id)
        return min(people) if people else participant_id

    async def same_person(self, participant_id: str) -> frozenset[str]:
        """Every enrolment of the person behind this one, itself included."""
        person = await self.person_of(participant_id)
        return await self.people.enrolments_of(person) | {participant_id}

    @property
    def sessions(self) -> Lookup:
        """Session id to match id (chassis lookup)."""
        return Lookup(self.matches.collection.database[SESSION_INDEX])

    async def index_sessions(self, match_id: str, session_ids: Iterable[str]) -> None:
        await self.sessions.put(match_id, session_ids)

    async def ensure_indexes(self) -> None:
        for field in ("state.mentor_id", "state.mentee_id", "state.program_id"):
            await self.matches.collection.create_index(field)

    async def _matches(self, query: Mapping[str, object]) -> list[Match]:
        found = self.matches.collection.find(query)
        return [cast(Match, doc["state"]) async for doc in found if doc.get("state")]

    async def matches_of(self, participant_id: str) -> list[Match]:
        """Every match the participant is in, as mentor or as mentee."""
        return await self._matches(
            {"$or": [{"state.mentor_id": participant_id}, {"state.mentee_id": participant_id}]},
        )

    async def matches_of_person(self, participant_id: str) -> list[Match]:
        """Every match of the person behind this enrolment, in every program."""
        ids = list(await self.same_person(participant_id))
        return await self._matches(
            {"$or": [{"state.mentor_id": {"$in": ids}}, {"state.mentee_id": {"$in": ids}}]},
        )

    async def matches_in(self, program_id: str) -> list[Match]:
        return await self._matches({"state.program_id": program_id})

    async def match_with_session(self, session_id: str) -> Match | None:
        match_id = await self.sessions.get(session_id)
        match = await self.match_states.get(match_id) if match_id else None
        if match is None or all(s["session_id"] != session_id for s in match["sessions"]):
            return None
        return match
