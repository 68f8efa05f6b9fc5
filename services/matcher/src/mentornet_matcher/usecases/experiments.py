"""A program's matching experiments: defining one, changing its arms before anyone is
assigned, stopping it, reading it; and assigning mentees to arms before they are
matched (matchmaker.py calls `assign` for the mentees it is about to place).

Each assignment is a conditional write on the experiment's document that carries its
experiment.arm.assigned, so a mentee is assigned once however often they are placed
(a redelivered registration, a decline, a rematch).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from mentornet_chassis.errors import Conflict, NotFound
from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.experiments import ExperimentDefined, StopReason
from mentornet_contracts.events.participants import MenteeRegistered

from ..domain import experiments
from ..domain.candidates import as_mentee
from ..domain.experiment_rules import check_outcome, checked_arms
from ..domain.experiments import Experiment, ExperimentStatus
from ..store import MatcherStores
from .proposals import SERVICE

PER_WRITE = 500
"""Mentees assigned in one write: the experiment.arm.assigned events ride in the
experiment document's outbox until relayed, which must stay well under a document's
size limit when a batch run meets thousands of new mentees."""


class Experiments:
    def __init__(self, stores: MatcherStores, clock: Callable[[], datetime]) -> None:
        self.stores = stores
        self.clock = clock

    async def define(self, program_id: str, spec: Mapping[str, Any], defined_by: str) -> Experiment:
        """`spec`: ExperimentDefined's fields without program_id, defined_by, starts_at.
        The program's waiting mentees are assigned at once, in participant-id order."""
        program = await self.stores.program(program_id)
        if program is None:
            raise NotFound("program_id", f"program {program_id} is not known here")
        arms = checked_arms(spec["arms"], spec["control_arm_id"])
        collected = program.get("outcome_measures")
        check_outcome(spec["primary_outcome"], collected)
        for other in await self.stores.experiments_in(program_id):
            if other["status"] == ExperimentStatus.RUNNING:
                raise Conflict(
                    "program_id",
                    f"experiment {other['experiment_id']} is running in program {program_id}",
                    experiment=experiments.summary(other),
                )
        event = ExperimentDefined(
            **{**spec, "arms": arms},
            program_id=program_id,
            defined_by=defined_by,
            starts_at=self.clock(),
        )

        def create(state: Experiment | None) -> Change[Experiment]:
            if state is not None:
                raise Conflict(
                    "experiment_id",
                    f"experiment {event.experiment_id} is already defined",
                    experiment=experiments.summary(state),
                )
            return Change.announced(experiments.define(event), [event], SERVICE)

        await self.stores.experiment_states.apply(event.experiment_id, create, new_likely=True)
        await self.assign_waiting(program_id)
        return await self.get(program_id, event.experiment_id)

    async def get(self, program_id: str, experiment_id: str) -> Experiment:
        found = await self.stores.experiment_states.get(experiment_id)
        if found is None or found["program_id"] != program_id:
            raise NotFound("experiment_id", f"no experiment {experiment_id} in {program_id}")
        return found

    async def change_arms(
        self, program_id: str, experiment_id: str, arms: Sequence[Mapping[str, Any]], control: str
    ) -> Experiment:
        """New arms while nobody is assigned (experiment.defined again); 409 with the
        assigned counts once assignment began."""
        await self.get(program_id, experiment_id)
        checked = checked_arms(arms, control)

        def redefine(state: Experiment | None) -> Change[Experiment]:
            assert state is not None
            changed, event = experiments.redefine(state, checked, control)
            return Change.announced(changed, [event], SERVICE)

        await self.stores.experiment_states.apply(experiment_id, redefine)
        return await self.get(program_id, experiment_id)

    async def stop(self, program_id: str, experiment_id: str) -> Experiment:
        """A coordinator stops assignment (409 if it has stopped already)."""
        await self.get(program_id, experiment_id)
        now = self.clock()

        def stopping(state: Experiment | None) -> Change[Experiment]:
            assert state is not None
            if state["status"] != ExperimentStatus.RUNNING:
                raise Conflict(
                    "experiment_id",
                    f"experiment {experiment_id} has stopped already",
                    experiment=experiments.summary(state),
                )
            return Change.announced(*experiments.stop(state, StopReason.COORDINATOR, now), SERVICE)

        await self.stores.experiment_states.apply(experiment_id, stopping)
        return await self.get(program_id, experiment_id)

    async def assign_waiting(self, program_id: str) -> None:
        """Every mentee of the program not in a match, in participant-id order."""
        placed = await self.stores.placed_mentees(program_id)
        waiting = [
            as_mentee(c)
            for c in await self.stores.in_program(program_id, "mentee")
            if c["participant_id"] not in placed
        ]
        await self.assign(program_id, waiting)

    async def assign(self, program_id: str, mentees: Sequence[MenteeRegistered]) -> None:
        """Assign the mentees not yet in an arm of the program's running experiment, in
        participant-id order, before they are matched."""
        running = [
            e
            for e in await self.stores.experiments_in(program_id)
            if e["status"] == ExperimentStatus.RUNNING
        ]
        if not running or not mentees:
            return
        now = self.clock()
        for experiment in running:
            new = sorted(
                (m.participant_id, m.segment)
                for m in mentees
                if m.participant_id not in experiment["assigned"]
            )
            for start in range(0, len(new), PER_WRITE):
                await self._assign(experiment["experiment_id"], new[start : start + PER_WRITE], now)

    async def _assign(
        self, experiment_id: str, mentees: list[tuple[str, str | None]], now: datetime
    ) -> None:
        def assigning(state: Experiment | None) -> Change[Experiment]:
            if state is None:
                return Change(None)
            changed, events = experiments.assign(state, mentees, now)
            return Change.announced(changed, events, SERVICE) if events else Change(None)

        await self.stores.experiment_states.apply(experiment_id, assigning)
