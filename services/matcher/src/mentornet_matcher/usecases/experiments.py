"""A program's matching experiments: defining one, changing its arms before anyone is
assigned, stopping it, reading it; and assigning mentees to arms before they are
matched (usecases/assigning.py).

Experiments are keyed by program and id (an id is the program's own). One runs per
program at a time: starting one claims the program's marker first (an insert on a
unique key, store/experiment_book.py), so of two starts at once one gets a 409.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from mentornet_chassis.errors import Conflict, NotFound
from mentornet_chassis.store.mongo import Document
from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.experiments import ExperimentDefined, StopReason

from ..domain import experiments
from ..domain.experiment_rules import check_outcome, checked_arms
from ..domain.experiments import Experiment, ExperimentStatus, key
from ..store import MatcherStores
from ..store.experiment_book import CLAIM_GRACE_S
from .assigning import Assigner
from .proposals import SERVICE

CLAIM_TRIES = 3


class Experiments:
    def __init__(self, stores: MatcherStores, clock: Callable[[], datetime]) -> None:
        self.stores = stores
        self.clock = clock
        self.assigner = Assigner(stores, clock)

    async def define(self, program_id: str, spec: Mapping[str, Any], defined_by: str) -> Experiment:
        """`spec`: ExperimentDefined's fields without program_id, defined_by, starts_at.
        The program's waiting mentees are assigned at once, in participant-id order."""
        program = await self.stores.program(program_id)
        if program is None:
            raise NotFound("program_id", f"program {program_id} is not known here")
        arms = checked_arms(spec["arms"], spec["control_arm_id"])
        check_outcome(spec["primary_outcome"], program.get("outcome_measures"))
        event = ExperimentDefined(
            **{**spec, "arms": arms},
            program_id=program_id,
            defined_by=defined_by,
            starts_at=self.clock(),
        )
        known = await self.stores.experiment_states.get(key(program_id, event.experiment_id))
        if known is not None:
            raise _defined_already(known)
        await self._claim_program(program_id, event.experiment_id)
        try:
            await self._create(event)
        except Conflict:
            await self.stores.book.release(program_id, event.experiment_id)
            raise
        await self.assigner.assign_waiting(program_id)
        return await self.get(program_id, event.experiment_id)

    async def _create(self, event: ExperimentDefined) -> None:
        def create(state: Experiment | None) -> Change[Experiment]:
            if state is not None:
                raise _defined_already(state)
            return Change.announced(experiments.define(event), [event], SERVICE)

        where = key(event.program_id, event.experiment_id)
        await self.stores.experiment_states.apply(where, create, new_likely=True)

    async def _claim_program(self, program_id: str, experiment_id: str) -> None:
        """Take the program's marker; 409 while another experiment holds it."""
        now = self.clock().timestamp()
        for _ in range(CLAIM_TRIES):
            held = await self.stores.book.claim(program_id, experiment_id, now)
            if held is None:
                return
            holder = str(held["experiment_id"])
            other = await self.stores.experiment_states.get(key(program_id, holder))
            if _holds(other, held, now):
                shown = experiments.summary(other) if other else {"experiment_id": holder}
                reason = f"experiment {holder} is running in program {program_id}"
                raise Conflict("program_id", reason, experiment=shown)
            await self.stores.book.release(program_id, holder)
        raise Conflict("program_id", f"another experiment is starting in program {program_id}")

    async def get(self, program_id: str, experiment_id: str) -> Experiment:
        found = await self.stores.experiment_states.get(key(program_id, experiment_id))
        if found is None:
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

        await self.stores.experiment_states.apply(key(program_id, experiment_id), redefine)
        return await self.get(program_id, experiment_id)

    async def stop(self, program_id: str, experiment_id: str) -> Experiment:
        """A coordinator stops assignment (409 if it has stopped already); the program
        is free for another experiment."""
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

        await self.stores.experiment_states.apply(key(program_id, experiment_id), stopping)
        await self.stores.book.release(program_id, experiment_id)
        return await self.get(program_id, experiment_id)


def _holds(other: Experiment | None, marker: Document, now: float) -> bool:
    """Whether a marker still holds its program: its experiment runs, or is about to
    be written (claimed under CLAIM_GRACE_S ago)."""
    if other is not None:
        return other["status"] == ExperimentStatus.RUNNING
    return now - float(marker.get("claimed_epoch", 0.0)) < CLAIM_GRACE_S


def _defined_already(state: Experiment) -> Conflict:
    """The program's own experiment with that id (never another program's)."""
    return Conflict(
        "experiment_id",
        f"experiment {state['experiment_id']} is already defined in program {state['program_id']}",
        experiment=experiments.summary(state),
    )
