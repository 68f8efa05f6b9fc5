"""Assigning mentees to the arms of the experiment running in their program, before
they are matched: the waiting mentees when it starts (experiments.py), each mentee
registering while it runs (matchmaker.py calls `assign_new` for the mentees it is
about to place). A mentee matched before the start keeps the program's weights.

Each assignment takes its slot in a conditional write on the experiment's document,
which counts it and carries its experiment.arm.assigned; then the mentee's assignment
document is written (store/experiment_book.py). A mentee is assigned once however
often they are placed (a redelivered registration, a decline, a rematch): their
assignment document, or the experiment's latest claims after a crash between the two
writes, says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.participants import MenteeRegistered

from ..domain import arm_assignment
from ..domain.arm_assignment import matched_before, recorded
from ..domain.candidates import as_mentee
from ..domain.documents import Match
from ..domain.experiments import Claim, Experiment, ExperimentStatus, key
from ..store import MatcherStores
from .proposals import SERVICE

PER_WRITE = 500
"""Mentees assigned in one write: the experiment.arm.assigned events ride in the
experiment document's outbox until relayed, which must stay well under a document's
size limit when a batch run meets thousands of new mentees."""


class Assigner:
    def __init__(self, stores: MatcherStores, clock: Callable[[], datetime]) -> None:
        self.stores = stores
        self.clock = clock

    async def running(self, program_id: str) -> Experiment | None:
        """The experiment assigning in the program, if one is."""
        holder = await self.stores.book.running_in(program_id)
        if holder is None:
            return None
        state = await self.stores.experiment(key(program_id, holder))
        return state if state is not None and state["status"] == ExperimentStatus.RUNNING else None

    async def assign_waiting(self, program_id: str) -> None:
        """At the start: every mentee of the program not in a match."""
        state = await self.running(program_id)
        if state is None:
            return
        placed = await self.stores.placed_mentees(program_id)
        waiting = [
            as_mentee(c)
            for c in await self.stores.in_program(program_id, "mentee")
            if c["participant_id"] not in placed
        ]
        await self._assign(state, waiting)

    async def assign_new(
        self,
        program_id: str,
        mentees: Sequence[MenteeRegistered],
        history: Iterable[Match] | None = None,
    ) -> None:
        """While an experiment runs, before they are matched: the mentees who had no
        match in the program before it started (a mentee matched before keeps the
        program's weights when placed again). `history`: the mentees' matches (None:
        read the program's)."""
        state = await self.running(program_id) if mentees else None
        if state is None:
            return
        if history is None:
            history = await self.stores.matches_in(program_id)
        before = matched_before(history, program_id, state["definition"]["starts_at"])
        await self._assign(state, [m for m in mentees if m.participant_id not in before])

    async def _assign(self, state: Experiment, mentees: Sequence[MenteeRegistered]) -> None:
        """In participant-id order, the mentees not assigned yet, PER_WRITE at a time."""
        ordered = sorted((m.participant_id, m.segment) for m in mentees)
        book = self.stores.book
        ids = [mentee_id for mentee_id, _ in ordered]
        done = await book.assigned(state["program_id"], state["experiment_id"], ids)
        new = [pair for pair in ordered if pair[0] not in done]
        now = self.clock()
        where = key(state["program_id"], state["experiment_id"])
        for start in range(0, len(new), PER_WRITE):
            claims = await self._claim(where, new[start : start + PER_WRITE], now)
            await book.record(recorded(state, claims))

    async def _claim(
        self, where: str, mentees: list[tuple[str, str | None]], now: datetime
    ) -> list[Claim]:
        """Slots for the mentees, counted in one conditional write with their events."""
        claims: list[Claim] = []

        def assigning(state: Experiment | None) -> Change[Experiment]:
            claims.clear()
            if state is None:
                return Change(None)
            changed, events, taken = arm_assignment.assign(state, mentees, now)
            claims.extend(taken)
            return Change.announced(changed, events, SERVICE) if events else Change(None)

        await self.stores.experiment_states.apply(where, assigning)
        return claims

    async def erase(self, mentee_id: str, program_ids: Iterable[str]) -> None:
        """participant.erased: the mentee's assignments are deleted and they leave the
        experiments' latest claims; the counts stay."""
        await self.stores.book.erase(mentee_id)
        for program_id in set(program_ids):
            for state in await self.stores.experiments_in(program_id):
                where = key(program_id, state["experiment_id"])
                await self.stores.experiment_states.apply(
                    where, lambda s: Change(arm_assignment.forget(s, mentee_id))
                )
