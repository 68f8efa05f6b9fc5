"""What each change the matcher hears of sets off, once its read model is updated: place
a newcomer, ask for a batch run, end matches that no longer work.

These run after every delivery, duplicates included (chassis subscribers), so each is
idempotent.
"""

from __future__ import annotations

from typing import Any

from mentornet_chassis.messaging.subscribers import ThenOn
from mentornet_contracts import Envelope
from mentornet_contracts.events.matches import EndCause
from mentornet_contracts.events.programs import ImportFinished
from mentornet_contracts.events.qa import EscalationAction, EscalationRaised
from mentornet_contracts.events.sessions import SeriesCompleted

from ..domain import candidates, imports
from ..domain.documents import Candidate, CandidateStatus
from ..store import BatchRuns
from .matchmaker import Matchmaker
from .pauses import Pauses
from .rematch import Rematcher

ESCALATED_DETAIL = "rematched by the program team"
"""match.ended's detail for QA's rematch step (its cause says escalation)."""


class FollowUps:
    """Each `Then` is given the candidate or program as it now is."""

    def __init__(
        self, runs: BatchRuns, matchmaker: Matchmaker, rematcher: Rematcher, pauses: Pauses
    ) -> None:
        self.runs = runs
        self.book = matchmaker.imports
        self.matchmaker = matchmaker
        self.rematcher = rematcher
        self.pauses = pauses

    async def registered(self, envelope: Envelope[Any], candidate: Candidate) -> None:
        """A mentee registered: placed now, unless an import under way holds them for
        its batch run (counted, so the import knows when it has everyone)."""
        program_id = _program_of(candidate, "mentee")
        if program_id is not None and await self._arrived(candidate, "mentee", program_id):
            return
        await self.place(envelope, candidate)

    async def joined(self, envelope: Envelope[Any], state: Candidate) -> None:
        """A mentor registered: the roster changed. One an import under way registered
        asks for no run: the import's batch run places everyone."""
        program_id = _program_of(state, "mentor")
        if program_id is not None and await self._arrived(state, "mentor", program_id):
            await self.runs.request(program_id, roster_changed=True, run=False)
            self.matchmaker.views.forget(program_id)
            return
        await self.roster(envelope, state)

    async def imported(self, envelope: Envelope[Any]) -> None:
        """An import ended: once every registration it made has been handled, one batch
        run places its pool (domain/imports.py)."""
        ended: ImportFinished = envelope.event
        if await self.book.finish(ended.import_id, ended.program_id, ended.registered):
            await self._release(ended.program_id)

    async def _arrived(self, candidate: Candidate, role: str, program_id: str) -> bool:
        """Count an imported registration; whether its import holds the person back."""
        import_id = imports.import_of(candidate, role)
        if import_id is None:
            return False
        arrival = await self.book.arrived(import_id, program_id)
        if arrival.completes:
            await self._release(program_id)
        return arrival.held

    async def _release(self, program_id: str) -> None:
        self.matchmaker.views.forget(program_id)
        await self.runs.request(program_id, roster_changed=True)

    async def place(self, envelope: Envelope[Any], candidate: Candidate) -> None:
        """Place an active mentee now, unless an import under way holds them."""
        program_id = _program_of(candidate, "mentee")
        if program_id is None:
            return
        import_id = imports.import_of(candidate, "mentee")
        if import_id is not None and await self.book.holding(import_id):
            return
        await self.matchmaker.place_newcomer(
            program_id, candidate["participant_id"], envelope.id, candidate=candidate
        )

    async def batch(self, envelope: Envelope[Any], state: object) -> None:
        self.matchmaker.views.forget(envelope.event.program_id)
        await self.runs.request(envelope.event.program_id)

    async def roster(self, envelope: Envelope[Any], state: Candidate) -> None:
        """The program's mentors changed: refresh cached rosters, run a batch."""
        mentor_program = candidates.programs_of(state).get("mentor")
        if mentor_program is not None:
            await self.runs.request(mentor_program, roster_changed=True)
            self.matchmaker.views.forget(mentor_program)

    async def taxonomy(self, envelope: Envelope[Any], state: object) -> None:
        self.matchmaker.views.forget()

    async def profile(self, envelope: Envelope[Any], state: Candidate) -> None:
        await self.roster(envelope, state)
        await self.rematcher.mentor_changed(state["participant_id"])

    async def availability(self, envelope: Envelope[Any], state: Candidate) -> None:
        await self.roster(envelope, state)
        await self.rematcher.availability_changed(state["participant_id"], "mentor_id")
        await self.rematcher.availability_changed(state["participant_id"], "mentee_id")
        await self.place(envelope, state)

    def leaving(self, cause: EndCause) -> ThenOn[Candidate]:
        async def left(envelope: Envelope[Any], state: Candidate) -> None:
            await self.roster(envelope, state)
            await self.rematcher.participant_left(state["participant_id"], cause)

        return left

    async def erased(self, envelope: Envelope[Any], state: Candidate) -> None:
        """participant.erased: as leaving; and their experiment assignments go."""
        await self.leaving(EndCause.PARTICIPANT_ERASED)(envelope, state)
        programs = candidates.programs_of(state).values()
        await self.matchmaker.experiments.assigner.erase(state["participant_id"], programs)

    async def escalation(self, envelope: Envelope[Any]) -> None:
        """QA asks for a rematch (the match ends, the mentee is placed again) or a pause
        (the match pauses for the program's longest pause). What either says travels
        to the pair, so it names the case, never its trigger (a risk flag, say): the
        case holds that, for the program's team."""
        raised: EscalationRaised = envelope.event
        if raised.action == EscalationAction.REMATCH:
            detail = f"{ESCALATED_DETAIL}, case {raised.case_id}"
            await self.rematcher.escalated(raised.match_id, detail)
        elif raised.action == EscalationAction.PAUSE:
            await self.pauses.qa_pause(raised.match_id, raised.case_id)

    async def series_completed(self, envelope: Envelope[Any]) -> None:
        done: SeriesCompleted = envelope.event
        await self.rematcher.completed(done.match_id, f"{done.held} held, {done.missed} missed")


def _program_of(candidate: Candidate, role: str) -> str | None:
    """The program of the candidate's role, while they are active in it."""
    profile = candidate.get("roles", {}).get(role)
    if profile is None or candidate.get("status") != CandidateStatus.ACTIVE:
        return None
    return str(profile["program_id"])
