"""Feedback's MongoDB collections: match aggregates (requests, reports, goal progress),
the words people wrote about them (texts.py), the programs' rules and survey template
versions (versions.py), the mentees' goals; lookups from a request, session or action
item to its match.

The chassis keeps each aggregate's state as a plain document; here each collection is
named with its type (domain/state.py), read and written through the chassis's typed
view (mentornet_chassis.store.typed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_chassis.store.lookup import Lookup
from mentornet_chassis.store.mongo import Document
from mentornet_chassis.store.typed import Documents

from ..domain import written
from ..domain.state import Match, Person
from ..domain.templates import DEFAULT, Private, TemplateSpec, private_parts
from .texts import TEXTS, Texts
from .versions import VERSIONS, TemplateVersions

__all__ = ["MATCHES", "PEOPLE", "PROGRAMS", "TEMPLATES", "TEXTS", "VERSIONS", "FeedbackStores"]

MATCHES = "matches"
PROGRAMS = "programs"
TEMPLATES = "templates"
PEOPLE = "people"

Program = Mapping[str, object]
"""A published program as stored (ProgramPublished in JSON, with its updates)."""


@dataclass(frozen=True)
class FeedbackStores:
    matches: AggregateStore
    programs: AggregateStore
    templates: AggregateStore
    """Template versions saved before `versions` existed; read, never written."""
    people: AggregateStore
    texts: Texts
    versions: TemplateVersions

    def all(self) -> list[AggregateStore]:
        return [self.matches, self.programs, self.templates, self.people]

    def lookup(self, kind: str) -> Lookup:
        """`session`, `request` or `item` id to match id."""
        return Lookup(self.matches.collection.database[f"{kind}_index"])

    async def ensure_indexes(self) -> None:
        for field in ("state.mentor_id", "state.mentee_id", "state.program_id"):
            await self.matches.collection.create_index(field)

    @property
    def match_states(self) -> Documents[Match]:
        return Documents(self.matches)

    @property
    def person_states(self) -> Documents[Person]:
        return Documents(self.people)

    async def match(self, match_id: str) -> Match | None:
        return await self.match_states.get(match_id)

    async def person(self, participant_id: str) -> Person | None:
        return await self.person_states.get(participant_id)

    async def program(self, program_id: str) -> Program | None:
        return await self.programs.get_state(program_id)

    async def joined(self, match: Match) -> Match:
        """The match with the answers and report words it accepted (domain/written.py)."""
        return written.joined(match, await self.texts.of_match(match["match_id"]))

    async def match_of(self, kind: str, part_id: str) -> Match | None:
        match_id = await self.lookup(kind).get(part_id)
        return await self.match(match_id) if match_id else None

    async def _states(self, query: Document) -> list[Match]:
        return await self.match_states.find(query)

    async def matches_of(self, participant_id: str) -> list[Match]:
        return await self._states(
            {"$or": [{"state.mentor_id": participant_id}, {"state.mentee_id": participant_id}]}
        )

    async def matches_in(self, program_id: str) -> list[Match]:
        return await self._states({"state.program_id": program_id})

    async def mentored_by(self, mentor_id: str) -> list[Match]:
        return await self._states({"state.mentor_id": mentor_id})

    async def private_of(self, match: Match) -> dict[int, Private]:
        """Each template version the match's requests use, to its private parts."""
        versions = {int(r["template_version"]) for r in match["requests"].values()}
        found = {}
        for version in versions:
            try:
                found[version] = private_parts(
                    (await self.template(match["program_id"], version))[1]
                )
            except LookupError:
                found[version] = Private()
        return found

    async def template(
        self, program_id: str, version: int | None = None
    ) -> tuple[int, TemplateSpec]:
        """The program's template at `version` (default: the current one). Version 1 is
        the default template; a coordinator's changes are 2, 3, ..."""
        wanted = version or await self.versions.current(program_id)
        if wanted == 1:
            return 1, DEFAULT
        spec = await self.versions.get(program_id, wanted)
        if spec is None:
            raise LookupError(wanted)
        return wanted, spec
