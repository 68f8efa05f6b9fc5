"""Every figure of a program's dashboard as a table (domain/tables.py), from one read
of QA's models: the page draws them and the figure routes answer them as JSON and CSV,
so the two cannot disagree."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mentornet_chassis.errors import Invalid, NotFound

from ..domain import breakdowns, funnel, health, series
from ..domain.documents import Match, Person
from ..domain.figures import Health
from ..domain.health_tables import health_tables
from ..domain.program import Program
from ..domain.series_weeks import MAX_WEEKS
from ..domain.tables import Table
from ..domain.weekly_tables import weekly_tables
from ..store import QaStores
from .health import sampling_of
from .outcomes import program_figures
from .programs import ProgramRules

FIGURES = (
    "headline",
    "funnel",
    *(f"weekly_{n}" for n in ("matching", "rates", "sessions", "scores")),
    *(f"weekly_{n}" for n in ("escalations", "follow_up", "response_times")),
    "outcomes",
    "by_segment",
    "by_cohort",
    "coverage_gaps",
    "fairness",
    "escalations_by_age",
    "unbookable_by_reason",
)
"""The program dashboard's figures, in page order."""


class ProgramFigures:
    def __init__(self, stores: QaStores, clock: Callable[[], datetime]) -> None:
        self.stores = stores
        self.rules = ProgramRules(stores)
        self.clock = clock

    async def tables(self, program_id: str, weeks: int) -> list[Table]:
        if not 1 <= weeks <= MAX_WEEKS:
            raise Invalid("weeks", f"must be between 1 and {MAX_WEEKS}")
        program = await self.rules.published(program_id)
        matches = await self.stores.matches_in(program_id)
        people = await self.stores.people_in(program_id)
        now = self.clock()
        found = await self._health(program, matches, people, now)
        capacity = int(program.state.get("max_active_mentees_per_mentor") or 1)
        weekly = series.series(program_id, matches, people, capacity, now, weeks)
        drawn = [
            *health_tables(found),
            *weekly_tables(weekly),
            funnel.funnel(program_id, matches, people, now),
            breakdowns.by_segment(program_id, matches, people),
            breakdowns.by_cohort(program_id, matches, people),
        ]
        by_name = {t["figure"]: t for t in drawn}
        return [by_name[name] for name in FIGURES]

    async def table(self, program_id: str, figure: str, weeks: int) -> Table:
        if figure not in FIGURES:
            raise NotFound("figure", f"no figure {figure[:64]!r}; figures: {', '.join(FIGURES)}")
        found = await self.tables(program_id, weeks)
        return next(t for t in found if t["figure"] == figure)

    async def _health(
        self, program: Program, matches: list[Match], people: list[Person], now: datetime
    ) -> Health:
        state = program.state
        found = health.health(
            state,
            matches,
            people,
            now,
            state.get("audit"),
            state.get("coverage"),
            await sampling_of(self.stores, program.program_id),
        )
        return {**found, "outcomes": await program_figures(self.stores, program)}
