"""Every dashboard figure as JSON or CSV: for signed-in viewers of a program (its team,
reviewers and sponsors) and the network's, and for anyone holding a signed link (the
same routes the page's download links use). One table answers both formats."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Response
from mentornet_chassis.http.auth import Principal, Role
from mentornet_chassis.http.csv_export import csv_download
from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import VIEWERS, Grant, allow
from mentornet_chassis.http.provided import provided
from pydantic import BaseModel, Field

from ..domain.network import FIGURES as NETWORK_FIGURES
from ..domain.series_weeks import DEFAULT_WEEKS, MAX_WEEKS
from ..domain.tables import Cell, Kind, Table
from ..usecases.dashboards import Dashboards
from ..usecases.figures import FIGURES, ProgramFigures
from ..usecases.network import NetworkFigures

Program = Annotated[ProgramFigures, Depends(provided(ProgramFigures))]
Network = Annotated[NetworkFigures, Depends(provided(NetworkFigures))]
Pages = Annotated[Dashboards, Depends(provided(Dashboards))]
Weeks = Annotated[int, Query(description=f"Weeks of the weekly figures (1-{MAX_WEEKS}).")]
Format = Annotated[Literal["json", "csv"], Query(description="`json` (default) or `csv`.")]
Expires = Annotated[int, Query(description="From the dashboard link.")]
Key = Annotated[str, Query(max_length=64, description="From the dashboard link.")]
ProgramFigure = Annotated[str, Path(max_length=64, description=f"One of: {', '.join(FIGURES)}.")]
NetworkFigure = Annotated[
    str, Path(max_length=64, description=f"One of: {', '.join(NETWORK_FIGURES)}.")
]
Scope = Annotated[str, Query(max_length=8000, description="From the network view link.")]
NETWORK_VIEWERS = (Grant.COORDINATOR, Grant.SPONSOR, Grant.SERVICE)

router = guarded_router(tags=["dashboards"])


class ColumnView(BaseModel):
    key: str
    label: str
    kind: Kind


class TableView(BaseModel):
    """A figure: its rows under its columns (a rate is a fraction, a datetime an ISO
    instant in UTC); `summary` is the chart's text alternative."""

    figure: str
    title: str
    summary: str
    columns: list[ColumnView]
    rows: list[dict[str, Cell]]
    note: str | None = None
    at: str | None = Field(default=None, description="When the figures were taken, if not now.")


RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The figure as JSON (a table) or, with format=csv, its rows as CSV.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


def answer(found: Table, fmt: str, name: str) -> Table | Response:
    if fmt == "json":
        return found
    columns = [c["key"] for c in found["columns"]]
    return csv_download(found["rows"], columns, name)


def network_scope(principal: Principal) -> frozenset[str] | None:
    """What a signed-in caller sees across programs: a service every program, a person
    the programs they coordinate or sponsor."""
    if Role.SERVICE in principal.roles:
        return None
    return principal.scope(Role.COORDINATOR) | principal.scope(Role.SPONSOR)


@router.get(
    "/programs/{program_id}/figures/{figure}",
    response_model=TableView,
    response_model_exclude_unset=True,
    responses=RESPONSES,
    **allow("figures.read", *VIEWERS, on="program"),
)
async def program_figure(
    program_id: str,
    figure: ProgramFigure,
    figures: Program,
    weeks: Weeks = DEFAULT_WEEKS,
    format: Format = "json",
) -> Table | Response:
    """A figure of the program's dashboard."""
    found = await figures.table(program_id, figure, weeks)
    return answer(found, format, f"{figure}-{program_id}")


@router.get(
    "/programs/{program_id}/dashboard/figures/{figure}",
    response_model=TableView,
    response_model_exclude_unset=True,
    responses=RESPONSES,
    **allow("figures.open", Grant.PUBLIC),
)
async def program_figure_by_link(
    program_id: str,
    figure: ProgramFigure,
    pages: Pages,
    expires: Expires,
    key: Key,
    weeks: Weeks = DEFAULT_WEEKS,
    format: Format = "json",
) -> Table | Response:
    """A figure of the dashboard a signed link opens (the page's download links)."""
    found = await pages.program_table(program_id, figure, expires, key, weeks)
    return answer(found, format, f"{figure}-{program_id}")


@router.get(
    "/network/figures/{figure}",
    response_model=TableView,
    response_model_exclude_unset=True,
    responses=RESPONSES,
    **allow("network.read", *NETWORK_VIEWERS),
)
async def network_figure(
    figure: NetworkFigure, network: Network, principal: SignedIn, format: Format = "json"
) -> Table | Response:
    """A figure of the network view, over the programs in the caller's scope."""
    found = await network.table(network_scope(principal), figure)
    return answer(found, format, figure)


@router.get(
    "/network/dashboard/figures/{figure}",
    response_model=TableView,
    response_model_exclude_unset=True,
    responses=RESPONSES,
    **allow("network.open", Grant.PUBLIC),
)
async def network_figure_by_link(
    figure: NetworkFigure,
    pages: Pages,
    scope: Scope,
    expires: Expires,
    key: Key,
    format: Format = "json",
) -> Table | Response:
    """A figure of the network view a signed link opens."""
    found = await pages.network_table(scope, figure, expires, key)
    return answer(found, format, figure)
