"""What the dashboard pages show (api/pages draws them) and the signed links that open
them, and their figures' JSON and CSV, in a browser without a bearer token until the
link expires.

A program link signs the program id (links made before the network view still work);
a network link signs its scope: `all`, or the programs of whoever made it, so a
sponsor's shared link shows exactly what the sponsor sees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from mentornet_chassis.errors import Forbidden, Invalid
from mentornet_chassis.process.signed_links import WALL_CLOCK, Clock, SignedLinks

from ..domain.tables import Table
from .figures import ProgramFigures
from .network import NetworkFigures

ALL = "all"
MAX_SCOPE = 200


@dataclass(frozen=True)
class Link:
    url: str
    expires: int


@dataclass(frozen=True)
class Page:
    """A dashboard page's content: its figures, where each is downloaded (`exports`:
    the figure's URL without `format`) and links to other pages."""

    title: str
    subtitle: str
    as_of: str
    figures: list[Table]
    exports: dict[str, str]
    links: list[tuple[str, str]]


def scope_of(programs: frozenset[str] | None) -> str:
    """A network link's scope: every program (None), or these."""
    if programs is None:
        return ALL
    if not programs:
        raise Forbidden("Authorization", "the network view needs a program in your scope")
    return ",".join(sorted(programs))


def programs_of(scope: str) -> frozenset[str] | None:
    if scope == ALL:
        return None
    found = frozenset(p for p in scope.split(",") if p)
    if not found or len(found) > MAX_SCOPE:
        raise Invalid("scope", f"'all' or 1 to {MAX_SCOPE} program ids separated by commas")
    return found


class DashboardLinks:
    """Links signed with the link key (never the token key)."""

    def __init__(
        self, key: bytes, public_url: str, hours: float, clock: Clock = WALL_CLOCK
    ) -> None:
        self.links = SignedLinks(key, hours * 3600, "|", clock)
        self.public_url = public_url.rstrip("/")

    def program(self, program_id: str) -> Link:
        expires, key = self.links.sign(program_id)
        return Link(self._url(f"/programs/{program_id}/dashboard", expires, key), expires)

    def network(self, scope: str) -> Link:
        expires, key = self.links.sign("network", scope)
        query = {"scope": scope}
        return Link(self._url("/network/dashboard", expires, key, query), expires)

    def check_program(self, program_id: str, expires: int, key: str) -> None:
        if not self.links.valid(program_id, expires=expires, key=key):
            raise Forbidden("key", "not a valid or current dashboard link")

    def check_network(self, scope: str, expires: int, key: str) -> None:
        if not self.links.valid("network", scope, expires=expires, key=key):
            raise Forbidden("key", "not a valid or current network view link")

    def program_key(self, program_id: str, expires: int) -> str:
        return self.links.signature(program_id, expires=expires)

    def _url(self, path: str, expires: int, key: str, query: dict[str, str] | None = None) -> str:
        signed = {**(query or {}), "expires": str(expires), "key": key}
        return f"{self.public_url}{path}?{urlencode(signed)}"


class Dashboards:
    def __init__(
        self,
        figures: ProgramFigures,
        network: NetworkFigures,
        links: DashboardLinks,
        clock: Callable[[], datetime],
    ) -> None:
        self.figures = figures
        self.network_figures = network
        self.links = links
        self.clock = clock

    async def program_link(self, program_id: str) -> Link:
        await self.figures.rules.published(program_id)
        return self.links.program(program_id)

    def network_link(self, programs: frozenset[str] | None) -> Link:
        return self.links.network(scope_of(programs))

    async def program_table(
        self, program_id: str, figure: str, expires: int, key: str, weeks: int
    ) -> Table:
        self.links.check_program(program_id, expires, key)
        return await self.figures.table(program_id, figure, weeks)

    async def network_table(self, scope: str, figure: str, expires: int, key: str) -> Table:
        self.links.check_network(scope, expires, key)
        return await self.network_figures.table(programs_of(scope), figure)

    async def program_page(self, program_id: str, expires: int, key: str, weeks: int) -> Page:
        self.links.check_program(program_id, expires, key)
        tables = await self.figures.tables(program_id, weeks)
        program = await self.figures.rules.published(program_id)
        base = f"{self.links.public_url}/programs/{program_id}/dashboard/figures"
        query = urlencode({"expires": expires, "key": key, "weeks": weeks})
        return Page(
            title=program.state.get("name") or program_id,
            subtitle="Program dashboard",
            as_of=self.clock().isoformat(),
            figures=tables,
            exports={t["figure"]: f"{base}/{t['figure']}?{query}" for t in tables},
            links=[],
        )

    async def network_page(self, scope: str, expires: int, key: str, tz: str | None) -> Page:
        self.links.check_network(scope, expires, key)
        tables = await self.network_figures.tables(programs_of(scope))
        base = f"{self.links.public_url}/network/dashboard/figures"
        query = urlencode({"scope": scope, "expires": expires, "key": key})
        return Page(
            title="Mentor network",
            subtitle="Network view",
            as_of=self.clock().isoformat(),
            figures=tables,
            exports={t["figure"]: f"{base}/{t['figure']}?{query}" for t in tables},
            links=self._program_links(tables, expires, tz),
        )

    def _program_links(
        self, tables: list[Table], expires: int, tz: str | None
    ) -> list[tuple[str, str]]:
        """Each program's dashboard, signed to expire with the network link."""
        side = next((t for t in tables if t["figure"] == "network_programs"), None)
        links = []
        for row in side["rows"] if side else []:
            program_id = str(row["program_id"])
            query = {"expires": str(expires), "key": self.links.program_key(program_id, expires)}
            if tz:
                query["tz"] = tz
            url = f"{self.links.public_url}/programs/{program_id}/dashboard?{urlencode(query)}"
            links.append((str(row.get("program") or program_id), url))
        return links
