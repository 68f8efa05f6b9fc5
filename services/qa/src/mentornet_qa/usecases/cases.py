"""Escalation cases by hand: a program's cases, one case, claiming and resolving one,
opening (or adding to) a match's case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mentornet_chassis.errors import NotFound
from mentornet_chassis.store.typed import Change
from mentornet_contracts import new_envelope
from mentornet_contracts.events.qa import EscalationTrigger, Resolution

from ..domain import cases, playbook, triggers
from ..domain.cases import Listed, SeenCase
from ..domain.documents import Case, Match
from ..domain.program import as_owner
from ..store import QaStores

SERVICE = "qa"
CaseStep = Callable[[Match], triggers.Changed]


class CaseDesk:
    def __init__(
        self, stores: QaStores, clock: Callable[[], datetime], wake: Callable[[], None]
    ) -> None:
        self.stores = stores
        self.clock = clock
        self.wake = wake

    async def listing(self, program_id: str, status: Listed) -> list[SeenCase]:
        return cases.listed(await self.stores.matches_in(program_id), status)

    async def one(self, case_id: str) -> SeenCase:
        match = await self._match_of(case_id)
        return cases.seen(match, cases.found_in(match, case_id))

    async def claim(self, case_id: str, subject: str) -> SeenCase:
        """The caller becomes the case's owner."""
        match = await self._match_of(case_id)
        owner = as_owner(subject)

        def take(m: Match) -> triggers.Changed:
            cases.still_open(m, case_id)
            return playbook.claim(m, owner), []

        state = await self._change(match["match_id"], take)
        return cases.seen(state, _open(state))

    async def resolve(
        self, case_id: str, resolution: Resolution, note: str, subject: str
    ) -> SeenCase:
        """Close the case; a case already closed is a 409."""
        match = await self._match_of(case_id)
        now = self.clock()

        def close(m: Match) -> triggers.Changed:
            cases.still_open(m, case_id)
            closed, event = playbook.resolve(m, resolution, now, subject, note)
            return closed, [event]

        state = await self._change(match["match_id"], close)
        return cases.seen(state, state["closed_cases"][-1])

    async def open(self, match_id: str, detail: str) -> SeenCase:
        """A coordinator or reviewer opens (or adds to) the match's case by hand."""
        match = await self.stores.matches.get(match_id)
        if match is None or not match.get("program_id"):
            raise NotFound("match_id", f"no match {match_id} here")
        program = await self.stores.program(match["program_id"])
        now = self.clock()
        state = await self._change(
            match_id,
            lambda m: triggers.raise_case(m, EscalationTrigger.MANUAL, detail, program, now),
        )
        return cases.seen(state, _open(state))

    async def _match_of(self, case_id: str) -> Match:
        found = await self.stores.match_of_case(case_id)
        if found is None:
            raise NotFound("case_id", f"no case {case_id}")
        return found

    async def _change(self, match_id: str, step: CaseStep) -> Match:
        def decide(state: Match | None) -> Change[Match]:
            assert state is not None
            new, events = step(state)
            new = {**new, "due_epoch": triggers.next_due(new)}
            return Change(new, [new_envelope(e, SERVICE) for e in events])

        written = await self.stores.matches.change(match_id, decide)
        self.wake()
        assert written is not None
        return written


def _open(match: Match) -> Case:
    case = match["case"]
    assert case is not None
    return case
