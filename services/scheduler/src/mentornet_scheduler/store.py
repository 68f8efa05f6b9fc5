"""Scheduler's MongoDB collections, each an aggregate store that emits through its
outbox, and the queries booking, the timers and the HTTP API need.

The chassis keeps each aggregate's state as a plain document; each collection is named
here with its domain type (domain/state.py) and read and written through the chassis's
typed view (mentornet_chassis.store.typed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_chassis.store.identity import IdentityBook
from mentornet_chassis.store.lookup import Lookup
from mentornet_chassis.store.typed import Documents

from .domain.state import Calendar, Cohort, Ledger, Match

SERVICE = "scheduler"

CALENDARS = "calendars"
PROGRAMS = "programs"
MATCHES = "matches"
LEDGERS = "ledgers"
COHORTS = "cohorts"
SESSION_INDEX = "session_index"


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
        return await self.match_states.find(query)

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
