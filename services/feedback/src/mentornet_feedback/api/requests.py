"""Survey requests over HTTP: a participant's, one with its questions, answering one."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import QA_TEAM, Grant, allow
from mentornet_chassis.http.provided import provided
from pydantic import BaseModel, ConfigDict, Field

from ..domain import templates
from ..domain.state import Request
from ..usecases.surveys import Asked, Surveys
from .access import Caller
from .views import AskedRequest, ParticipantRequests, RequestView

router = guarded_router(tags=["surveys"])
Desk = Annotated[Surveys, Depends(provided(Surveys))]


class Answers(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "template_version": 1,
                    "answers": {
                        "rating": 5,
                        "relevance": 5,
                        "clarity": 4,
                        "specificity": 4,
                        "accountability": 4,
                        "confidence_gain": 5,
                        "next_focus": "same goal",
                        "went_well": "Concrete feedback on my design doc and a plan for the"
                        " review.",
                    },
                }
            ]
        },
    )

    template_version: int = Field(
        ge=1, le=1_000_000, description="The version the request asked for."
    )
    answers: dict[templates.QuestionId, templates.Answer] = Field(
        max_length=templates.MAX_QUESTIONS, description="Question id to answer."
    )


@router.get(
    "/participants/{participant_id}/feedback-requests",
    response_model=ParticipantRequests,
    response_model_exclude_unset=True,
    **allow(
        "surveys.requests_of_person",
        Grant.SELF,
        *QA_TEAM,
        on="participant",
        hide=True,
    ),
)
async def of_participant(
    participant_id: str,
    surveys: Desk,
    viewer: Caller,
    status: Literal["open", "answered", "closed", "all"] = Query(default="open"),
) -> dict[str, object]:
    found = await surveys.requests_of(participant_id, status, viewer)
    return {"participant_id": participant_id, "requests": found}


@router.get(
    "/feedback-requests/{request_id}",
    response_model=AskedRequest,
    response_model_exclude_unset=True,
    **allow("surveys.request", Grant.SELF, *QA_TEAM, on="request"),
)
async def one(request_id: str, surveys: Desk) -> Asked:
    """The request, its questions for the person asked and, once answered, the answers."""
    return await surveys.request(request_id)


@router.post(
    "/feedback-requests/{request_id}/answers",
    response_model=RequestView,
    response_model_exclude_unset=True,
    **allow("surveys.answer", Grant.SELF, on="request"),
)
async def answer(request_id: str, body: Answers, surveys: Desk) -> Request:
    """Answers checked against the template version asked for; editable for a while
    after the first answer, then locked (409). Only the person asked answers."""
    return await surveys.answer(request_id, body.template_version, body.answers)
