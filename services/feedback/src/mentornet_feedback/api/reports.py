"""Session reports and action items over HTTP."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import PAIR, TEAM, Grant, allow
from mentornet_chassis.http.provided import provided

from ..domain.reports import ReportBody
from ..domain.state import ActionItem
from ..domain.visibility import ReportView
from ..usecases.reports import Reports
from . import access
from .access import Caller
from .views import ActionItemView, SessionReport

router = guarded_router(tags=["reports and progress"])
Desk = Annotated[Reports, Depends(provided(Reports))]


@router.post(
    "/sessions/{session_id}/report",
    status_code=201,
    response_model=SessionReport,
    response_model_exclude_unset=True,
    **allow("reports.file", Grant.MENTOR, on="session"),
)
async def file_report(session_id: str, body: ReportBody, reports: Desk) -> ReportView:
    """The mentor's report: agenda, notes (private to the program team), action items
    and risk flags (each flag is a risk signal for QA). One per session."""
    return await reports.file(session_id, body)


@router.get(
    "/sessions/{session_id}/report",
    response_model=SessionReport,
    response_model_exclude_unset=True,
    **allow("reports.read", *access.SEE, on="session"),
)
async def read_report(session_id: str, reports: Desk, viewer: Caller) -> ReportView:
    return await reports.read(session_id, viewer)


@router.post(
    "/action-items/{item_id}/complete",
    response_model=ActionItemView,
    response_model_exclude_unset=True,
    **allow("reports.complete_item", *PAIR, *TEAM, on="item"),
)
async def complete(item_id: str, reports: Desk) -> ActionItem:
    """Done: by its owner, the mentor or a coordinator."""
    return await reports.complete(item_id)
