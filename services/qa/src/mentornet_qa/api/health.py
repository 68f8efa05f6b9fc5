"""Program health over HTTP: the JSON figures, the dashboard page (a signed link, so a
browser can open it without a bearer token), fairness audits, and recognition."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import QA_TEAM, TEAM, Grant, allow
from mentornet_chassis.http.provided import provided
from pydantic import BaseModel, ConfigDict, Field

from ..domain import recognition
from ..domain.figures import Health
from ..usecases.audits import Auditor
from ..usecases.health import ProgramHealth
from ..usecases.programs import ProgramRules
from ..usecases.recognitions import Recognitions
from .health_views import (
    AuditView,
    DashboardLinkView,
    HealthView,
    RecognitionView,
    ThresholdsView,
)

Figures = Annotated[ProgramHealth, Depends(provided(ProgramHealth))]
Audits = Annotated[Auditor, Depends(provided(Auditor))]
Rules = Annotated[ProgramRules, Depends(provided(ProgramRules))]
Recognising = Annotated[Recognitions, Depends(provided(Recognitions))]

router = guarded_router(tags=["program health"])


class Awards(BaseModel):
    model_config = ConfigDict(extra="forbid")

    awards: tuple[recognition.Threshold, ...] = Field(max_length=20)


@router.get(
    "/programs/{program_id}/health",
    response_model=HealthView,
    response_model_exclude_unset=True,
    **allow("health.read", *QA_TEAM, on="program"),
)
async def health_json(program_id: str, figures: Figures) -> Health:
    """Every figure on the dashboard."""
    return await figures.figures(program_id)


@router.get(
    "/programs/{program_id}/dashboard-link",
    response_model=DashboardLinkView,
    **allow("dashboard.link", *TEAM, on="program"),
)
async def dashboard_link(program_id: str, figures: Figures) -> DashboardLinkView:
    """A link to the dashboard page that works in a browser until it expires."""
    link = await figures.link(program_id)
    return DashboardLinkView(program_id=program_id, url=link.url, expires=link.expires)


@router.get(
    "/programs/{program_id}/dashboard",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {}}, "description": "The dashboard page."}},
    **allow("dashboard.open", Grant.PUBLIC),
)
async def dashboard_page(
    program_id: str,
    figures: Figures,
    expires: int = Query(description="From the dashboard link."),
    key: str = Query(description="From the dashboard link."),
) -> HTMLResponse:
    return HTMLResponse(await figures.page(program_id, expires, key))


@router.post(
    "/programs/{program_id}/fairness-audits",
    status_code=201,
    response_model=AuditView,
    response_model_exclude_unset=True,
    **allow("fairness.audit", *TEAM, on="program"),
)
async def run_audit(program_id: str, audits: Audits) -> dict[str, object]:
    """Audit now (they also run every MENTORNET_QA_AUDIT_EVERY_DAYS)."""
    return {"program_id": program_id, **await audits.audit_now(program_id)}


@router.get(
    "/programs/{program_id}/fairness-audits/latest",
    response_model=AuditView,
    response_model_exclude_unset=True,
    **allow("fairness.read", *TEAM, on="program"),
)
async def latest_audit(program_id: str, audits: Audits) -> dict[str, object]:
    return {"program_id": program_id, **await audits.latest(program_id)}


@router.get(
    "/programs/{program_id}/recognition",
    response_model=RecognitionView,
    **allow("recognition.read", *TEAM, on="program"),
)
async def recognised(program_id: str, rules: Rules, recognitions: Recognising) -> dict[str, object]:
    """Each mentor's impact and awards, and the program's thresholds."""
    program = await rules.published(program_id)
    return {
        "program_id": program_id,
        "thresholds": [t.model_dump() for t in program.awards],
        "mentors": await recognitions.mentors(program_id),
    }


@router.put(
    "/programs/{program_id}/recognition",
    response_model=ThresholdsView,
    **allow("recognition.set", *TEAM, on="program"),
)
async def set_awards(program_id: str, body: Awards, rules: Rules) -> dict[str, object]:
    await rules.set_awards(program_id, body.awards)
    return {"program_id": program_id, "thresholds": [t.model_dump() for t in body.awards]}
