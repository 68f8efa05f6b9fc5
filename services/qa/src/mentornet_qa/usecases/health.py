"""Program health: the figures (domain/health.py) from QA's read models, as JSON or as
the dashboard page, and the signed links that open the page in a browser."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mentornet_chassis.errors import Forbidden
from mentornet_chassis.process.signed_links import WALL_CLOCK, Clock, SignedLinks

from ..domain import health, reviews
from ..domain.documents import SampleStatus
from ..domain.figures import Health, Sampling
from ..store import QaStores
from . import dashboard
from .outcomes import program_figures
from .programs import ProgramRules


class DashboardLinks:
    """Links that open a program's dashboard until they expire: the path signed with
    the link key (never the token key)."""

    def __init__(
        self, key: bytes, public_url: str, hours: float, clock: Clock = WALL_CLOCK
    ) -> None:
        self.links = SignedLinks(key, hours * 3600, "|", clock)
        self.public_url = public_url.rstrip("/")

    def signature(self, program_id: str, expires: int) -> str:
        return self.links.signature(program_id, expires=expires)

    def url(self, program_id: str) -> tuple[str, int]:
        expires, key = self.links.sign(program_id)
        return (
            f"{self.public_url}/programs/{program_id}/dashboard?expires={expires}&key={key}",
            expires,
        )

    def check(self, program_id: str, expires: int, key: str) -> bool:
        return self.links.valid(program_id, expires=expires, key=key)


@dataclass(frozen=True)
class Link:
    url: str
    expires: int


class ProgramHealth:
    def __init__(
        self, stores: QaStores, links: DashboardLinks, clock: Callable[[], datetime]
    ) -> None:
        self.stores = stores
        self.rules = ProgramRules(stores)
        self.links = links
        self.clock = clock

    async def figures(self, program_id: str) -> Health:
        """Every figure on the dashboard."""
        program = await self.rules.published(program_id)
        samples = await self.stores.samples_in(program_id)
        sampling = Sampling(
            sampled=len(samples),
            reviewed=sum(1 for s in samples if s["status"] == SampleStatus.REVIEWED),
            agreement_exact=reviews.agreement(samples)["exact"],
        )
        found = health.health(
            program.state,
            await self.stores.matches_in(program_id),
            await self.stores.people_in(program_id),
            self.clock(),
            program.state.get("audit"),
            program.state.get("coverage"),
            sampling,
        )
        return {**found, "outcomes": await program_figures(self.stores, program)}

    async def link(self, program_id: str) -> Link:
        """A link to the dashboard page that works in a browser until it expires."""
        await self.rules.published(program_id)
        return Link(*self.links.url(program_id))

    async def page(self, program_id: str, expires: int, key: str) -> str:
        if not self.links.check(program_id, expires, key):
            raise Forbidden("key", "not a valid or current dashboard link")
        return dashboard.render(await self.figures(program_id))
