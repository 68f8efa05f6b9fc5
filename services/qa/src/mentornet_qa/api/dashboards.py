"""The dashboard pages over HTTP: signed links for the program dashboard and the network
view (a browser opens them without a bearer token until they expire), and the pages."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse
from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import VIEWERS, Grant, allow
from mentornet_chassis.http.provided import provided
from pydantic import BaseModel

from ..domain.series_weeks import DEFAULT_WEEKS
from ..usecases.dashboards import Dashboards, Page
from .figures import NETWORK_VIEWERS, Expires, Key, Scope, Weeks, network_scope
from .pages import layout
from .pages.formatting import zone

Pages = Annotated[Dashboards, Depends(provided(Dashboards))]
Zone = Annotated[
    str | None,
    Query(max_length=64, description="The viewer's IANA time zone (the page asks the browser)."),
]
PAGE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "The page."}
}

router = guarded_router(tags=["dashboards"])


class DashboardLinkView(BaseModel):
    program_id: str
    url: str
    expires: int


class NetworkLinkView(BaseModel):
    scope: str
    """`all`, or the programs the link shows (the maker's scope)."""
    url: str
    expires: int


@router.get(
    "/programs/{program_id}/dashboard-link",
    response_model=DashboardLinkView,
    **allow("dashboard.link", *VIEWERS, on="program"),
)
async def dashboard_link(program_id: str, pages: Pages) -> DashboardLinkView:
    """A read-only link to the dashboard page that works in a browser until it expires."""
    link = await pages.program_link(program_id)
    return DashboardLinkView(program_id=program_id, url=link.url, expires=link.expires)


@router.get(
    "/programs/{program_id}/dashboard",
    response_class=HTMLResponse,
    responses=PAGE,
    **allow("dashboard.open", Grant.PUBLIC),
)
async def dashboard_page(
    program_id: str,
    pages: Pages,
    expires: Expires,
    key: Key,
    tz: Zone = None,
    weeks: Weeks = DEFAULT_WEEKS,
) -> HTMLResponse:
    viewer = zone(tz)
    return await _html(await pages.program_page(program_id, expires, key, weeks), viewer)


@router.get(
    "/network/dashboard-link",
    response_model=NetworkLinkView,
    **allow("network.link", *NETWORK_VIEWERS),
)
async def network_link(pages: Pages, principal: SignedIn) -> NetworkLinkView:
    """A read-only link to the network view of the programs in the caller's scope."""
    programs = network_scope(principal)
    link = pages.network_link(programs)
    scope = "all" if programs is None else ",".join(sorted(programs))
    return NetworkLinkView(scope=scope, url=link.url, expires=link.expires)


@router.get(
    "/network/dashboard",
    response_class=HTMLResponse,
    responses=PAGE,
    **allow("network.open_page", Grant.PUBLIC),
)
async def network_page(
    pages: Pages, scope: Scope, expires: Expires, key: Key, tz: Zone = None
) -> HTMLResponse:
    viewer = zone(tz)
    return await _html(await pages.network_page(scope, expires, key, tz), viewer)


async def _html(page: Page, viewer: ZoneInfo) -> HTMLResponse:
    """Drawn off the event loop: rendering a page's charts takes seconds the first time."""

    def exports(figure: str, fmt: str) -> str:
        return f"{page.exports[figure]}&format={fmt}"

    nav = layout.nav(page.links)
    drawn = await asyncio.to_thread(
        layout.page, page.title, page.subtitle, page.as_of, page.figures, exports, viewer, nav
    )
    return HTMLResponse(drawn)
