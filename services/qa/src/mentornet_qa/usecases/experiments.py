"""A matching experiment's results: its definition, the arms its mentees were assigned
to, their matches' outcomes and their consented groups, analysed by the pure domain
(domain/experiment_analysis.py) with a Generator seeded from the experiment's seed, so
the same facts give the same results on every read. The resampling runs off the event
loop, so a large experiment does not hold up the service's consumers."""

from __future__ import annotations

import asyncio

import numpy as np
from mentornet_chassis.errors import NotFound

from ..domain.arm_outcomes import observations, progress
from ..domain.experiment_analysis import analyse
from ..domain.experiment_docs import Experiment
from ..domain.experiment_results import Results
from ..domain.experiments import defined, key
from ..store import ExperimentStores, QaStores


class ExperimentResults:
    def __init__(self, stores: QaStores, experiments: ExperimentStores) -> None:
        self.stores = stores
        self.experiments = experiments

    async def definition(self, program_id: str, experiment_id: str) -> Experiment:
        found = defined(await self.experiments.experiments.get(key(program_id, experiment_id)))
        if found is None:
            raise NotFound("experiment_id", f"no experiment {experiment_id} in {program_id}")
        return found

    async def results(self, program_id: str, experiment_id: str) -> Results:
        experiment = await self.definition(program_id, experiment_id)
        assignments = await self.experiments.assignments_of(program_id, experiment_id)
        people = {p["participant_id"]: p for p in await self.stores.people_in(program_id)}
        matches = await self.stores.matches_in(program_id)
        seen = observations(experiment, assignments, matches, people)
        collected = progress(experiment, assignments, matches, seen)
        rng = np.random.default_rng(experiment["seed"])
        return await asyncio.to_thread(analyse, experiment, seen, rng, collected)
