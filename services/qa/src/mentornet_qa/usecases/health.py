"""Program health: the figures (domain/health.py) from QA's read models, as JSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..domain import health, reviews
from ..domain.documents import SampleStatus
from ..domain.figures import Health, Sampling
from ..store import QaStores
from .outcomes import program_figures
from .programs import ProgramRules


async def sampling_of(stores: QaStores, program_id: str) -> Sampling:
    samples = await stores.samples_in(program_id)
    return Sampling(
        sampled=len(samples),
        reviewed=sum(1 for s in samples if s["status"] == SampleStatus.REVIEWED),
        agreement_exact=reviews.agreement(samples)["exact"],
    )


class ProgramHealth:
    def __init__(self, stores: QaStores, clock: Callable[[], datetime]) -> None:
        self.stores = stores
        self.rules = ProgramRules(stores)
        self.clock = clock

    async def figures(self, program_id: str) -> Health:
        """Every headline figure of the dashboard."""
        program = await self.rules.published(program_id)
        found = health.health(
            program.state,
            await self.stores.matches_in(program_id),
            await self.stores.people_in(program_id),
            self.clock(),
            program.state.get("audit"),
            program.state.get("coverage"),
            await sampling_of(self.stores, program_id),
        )
        return {**found, "outcomes": await program_figures(self.stores, program)}
