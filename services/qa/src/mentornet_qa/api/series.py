"""A program's indicators week by week over HTTP: JSON and CSV from the same figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response
from mentornet_chassis.http.csv_export import csv_download, csv_responses
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import VIEWERS, allow
from mentornet_chassis.http.provided import provided
from pydantic import BaseModel

from ..domain.series import CSV_COLUMNS, Series, rows
from ..domain.series_weeks import DEFAULT_WEEKS, MAX_WEEKS
from ..usecases.series import ProgramSeries

Weekly = Annotated[ProgramSeries, Depends(provided(ProgramSeries))]
Weeks = Annotated[
    int,
    Query(description=f"How many weeks back, this one included (1-{MAX_WEEKS})."),
]
CSV_RESPONSE = csv_responses("week and indicator", CSV_COLUMNS)

router = guarded_router(tags=["program health"])


class PointView(BaseModel):
    week: str
    value: int | float | None
    """A count stays a whole number; a rate or an average is a fraction."""
    n: int | None = None


class SeriesView(BaseModel):
    program_id: str
    as_of: str
    weeks: list[str]
    series: dict[str, list[PointView]]


@router.get(
    "/programs/{program_id}/series",
    response_model=SeriesView,
    response_model_exclude_unset=True,
    **allow("series.read", *VIEWERS, on="program"),
)
async def weekly_series(program_id: str, weekly: Weekly, weeks: Weeks = DEFAULT_WEEKS) -> Series:
    """Every indicator per ISO week (Monday 00:00 UTC) from the program's first fact:
    levels at the week's end, flows within it; rates carry their n."""
    return await weekly.weekly(program_id, weeks)


@router.get(
    "/programs/{program_id}/series.csv",
    response_class=Response,
    responses=CSV_RESPONSE,
    **allow("series.csv", *VIEWERS, on="program"),
)
async def weekly_series_csv(
    program_id: str, weekly: Weekly, weeks: Weeks = DEFAULT_WEEKS
) -> Response:
    """The same figures as the JSON series, one row per week and indicator."""
    return csv_download(
        rows(await weekly.weekly(program_id, weeks)), CSV_COLUMNS, f"series-{program_id}"
    )
