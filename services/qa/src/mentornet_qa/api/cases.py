"""Escalation cases over HTTP: a program's cases, one case, claim, resolve, open one by
hand; the program's playbook."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import QA_TEAM, TEAM, allow
from mentornet_chassis.http.provided import provided
from mentornet_contracts.events.qa import Resolution
from pydantic import BaseModel, ConfigDict, Field

from ..domain import playbook
from ..domain.cases import Listed, SeenCase
from ..usecases.cases import CaseDesk
from ..usecases.programs import ProgramRules
from .views import CaseList, CaseView, PlaybookView

Desk = Annotated[CaseDesk, Depends(provided(CaseDesk))]
Rules = Annotated[ProgramRules, Depends(provided(ProgramRules))]

router = guarded_router(tags=["escalations"])


class Resolve(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "resolution": "back_on_track",
                    "note": "Spoke with both; the next three sessions are booked.",
                }
            ]
        },
    )

    resolution: Resolution
    note: str = Field(default="", max_length=1000)


class Open(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"detail": "The mentee says the mentor cancelled the last two sessions."}]
        },
    )

    detail: str = Field(min_length=1, max_length=500, description="Why, in a few words.")


@router.get(
    "/programs/{program_id}/cases",
    response_model=CaseList,
    response_model_exclude_unset=True,
    **allow("cases.list", *QA_TEAM, on="program"),
)
async def listing(
    program_id: str, desk: Desk, status: Listed = Query(default="open")
) -> dict[str, object]:
    """The program's cases, the most urgent first (overdue, then by severity)."""
    return {"program_id": program_id, "cases": await desk.listing(program_id, status)}


@router.get(
    "/cases/{case_id}",
    response_model=CaseView,
    response_model_exclude_unset=True,
    **allow("cases.read", *QA_TEAM, on="case"),
)
async def one(case_id: str, desk: Desk) -> SeenCase:
    return await desk.one(case_id)


@router.post(
    "/cases/{case_id}/claim",
    response_model=CaseView,
    response_model_exclude_unset=True,
    **allow("cases.claim", *QA_TEAM, on="case"),
)
async def claim(case_id: str, desk: Desk, principal: SignedIn) -> SeenCase:
    """Take the case: you become its owner."""
    return await desk.claim(case_id, principal.subject)


@router.post(
    "/cases/{case_id}/resolve",
    response_model=CaseView,
    response_model_exclude_unset=True,
    **allow("cases.resolve", *QA_TEAM, on="case"),
)
async def resolve(case_id: str, body: Resolve, desk: Desk, principal: SignedIn) -> SeenCase:
    """Close the case; a case already closed is a 409."""
    return await desk.resolve(case_id, body.resolution, body.note, principal.subject)


@router.post(
    "/matches/{match_id}/cases",
    status_code=201,
    response_model=CaseView,
    response_model_exclude_unset=True,
    **allow("cases.open", *QA_TEAM, on="match"),
)
async def open_case(match_id: str, body: Open, desk: Desk) -> SeenCase:
    """A coordinator or reviewer opens (or adds to) the match's case by hand."""
    return await desk.open(match_id, body.detail)


@router.get(
    "/programs/{program_id}/playbook",
    response_model=PlaybookView,
    **allow("playbook.read", *QA_TEAM, on="program"),
)
async def get_playbook(program_id: str, rules: Rules) -> dict[str, object]:
    program = await rules.published(program_id)
    return {"program_id": program_id, **program.playbook.model_dump(mode="json")}


@router.put(
    "/programs/{program_id}/playbook",
    response_model=PlaybookView,
    **allow("playbook.set", *TEAM, on="program"),
)
async def put_playbook(program_id: str, body: playbook.Playbook, rules: Rules) -> dict[str, object]:
    """The program's escalation playbook: a first step per trigger (the others keep
    the default) and the last step (rematch or pause). A case at the pause step asks
    the matcher to pause the match; it then waits for the match to resume and is
    resolved back_on_track when it does."""
    await rules.set_playbook(program_id, body)
    return {"program_id": program_id, **body.model_dump(mode="json")}
