"""Program health over HTTP: the JSON figures, fairness audits, and recognition (the
dashboard pages are in dashboards.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import TEAM, VIEWERS, allow
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
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "awards": [
                        {"award": "ten-sessions", "sessions": 10},
                        {"award": "goal-getter", "goals_reached": 3, "min_rubric": 4.0},
                    ]
                }
            ]
        },
    )

    awards: tuple[recognition.Threshold, ...] = Field(max_length=20)


@router.get(
    "/programs/{program_id}/health",
    response_model=HealthView,
    response_model_exclude_unset=True,
    **allow("health.read", *VIEWERS, on="program"),
)
async def health_json(program_id: str, figures: Figures) -> Health:
    """Every figure on the dashboard."""
    return await figures.figures(program_id)


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
