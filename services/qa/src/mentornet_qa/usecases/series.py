"""A program's weekly series (domain/series.py) from QA's read models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mentornet_chassis.errors import Invalid

from ..domain import series
from ..domain.series_weeks import MAX_WEEKS
from ..store import QaStores
from .programs import ProgramRules


class ProgramSeries:
    def __init__(self, stores: QaStores, clock: Callable[[], datetime]) -> None:
        self.stores = stores
        self.rules = ProgramRules(stores)
        self.clock = clock

    async def weekly(self, program_id: str, weeks: int) -> series.Series:
        """Every indicator week by week, over at most `weeks` weeks up to this one."""
        if not 1 <= weeks <= MAX_WEEKS:
            raise Invalid("weeks", f"must be between 1 and {MAX_WEEKS}")
        program = await self.rules.published(program_id)
        return series.series(
            program_id,
            await self.stores.matches_in(program_id),
            await self.stores.people_in(program_id),
            int(program.state.get("max_active_mentees_per_mentor") or 1),
            self.clock(),
            weeks,
        )
