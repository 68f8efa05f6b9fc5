"""The network view (domain/network.py) from QA's read models: every published program
QA knows, or the ones a caller's scope names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mentornet_chassis.errors import NotFound

from ..domain.network import FIGURES, network_tables
from ..domain.network_facts import ProgramFacts
from ..domain.tables import Table
from ..store import QaStores


class NetworkFigures:
    def __init__(self, stores: QaStores, clock: Callable[[], datetime]) -> None:
        self.stores = stores
        self.clock = clock

    async def tables(self, programs: frozenset[str] | None) -> list[Table]:
        """Every network table over the published programs named (None: every one QA
        knows). Programs not published, or unknown, are left out, not refused: a
        sponsor's scope may name a program before it is published."""
        return network_tables(await self.facts(programs), self.clock())

    async def table(self, programs: frozenset[str] | None, figure: str) -> Table:
        """One network table, by its figure name."""
        if figure not in FIGURES:
            raise NotFound("figure", f"no figure {figure[:64]!r}; figures: {', '.join(FIGURES)}")
        found = await self.tables(programs)
        return next(t for t in found if t["figure"] == figure)

    async def facts(self, programs: frozenset[str] | None) -> list[ProgramFacts]:
        known = await self.stores.program_ids()
        chosen = known if programs is None else sorted(set(known) & programs)
        found = []
        for program_id in chosen:
            program = await self.stores.program(program_id)
            if program is None:
                continue
            found.append(
                ProgramFacts(
                    program.state,
                    await self.stores.matches_in(program_id),
                    await self.stores.people_in(program_id),
                )
            )
        return found
