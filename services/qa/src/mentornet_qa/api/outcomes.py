"""Outcomes over HTTP: a program's outcome report (JSON and CSV, split by program,
cohort, segment or a fairness audit attribute) and an invited mentee's answer to the
invitation to mentor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response
from mentornet_chassis.http.csv_export import csv_download, csv_responses
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import VIEWERS, Grant, allow
from mentornet_chassis.http.provided import provided
from pydantic import BaseModel, ConfigDict, Field

from ..domain.outcome_report import CSV_COLUMNS, Report, rows
from ..usecases.outcomes import Outcomes
from .outcome_views import InvitationView, OutcomeReportView

Reports = Annotated[Outcomes, Depends(provided(Outcomes))]
By = Annotated[
    str,
    Query(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="program, cohort, segment, or a fairness audit attribute (e.g. region).",
    ),
]
CSV_RESPONSE = csv_responses("group and indicator", CSV_COLUMNS)

router = guarded_router(tags=["outcomes"])


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"accept": True}]})

    accept: bool = Field(description="Whether you will become a mentor.")


@router.get(
    "/programs/{program_id}/outcomes",
    response_model=OutcomeReportView,
    response_model_exclude_unset=True,
    **allow("outcomes.read", *VIEWERS, on="program"),
)
async def outcome_report(program_id: str, reports: Reports, by: By = "program") -> Report:
    """Per group and indicator: n, value and 95% interval; groups and figures under 5
    mentees suppressed; attribute splits only from groups people consented to share."""
    return await reports.report(program_id, by)


@router.get(
    "/programs/{program_id}/outcomes.csv",
    response_class=Response,
    responses=CSV_RESPONSE,
    **allow("outcomes.csv", *VIEWERS, on="program"),
)
async def outcome_csv(program_id: str, reports: Reports, by: By = "program") -> Response:
    """The same figures as the JSON report, one row per group and indicator."""
    return csv_download(
        rows(await reports.report(program_id, by)), CSV_COLUMNS, f"outcomes-{program_id}-{by}"
    )


@router.post(
    "/programs/{program_id}/mentor-invitations/{participant_id}/answer",
    response_model=InvitationView,
    **allow("mentor_invitations.answer", Grant.SELF, on="participant"),
)
async def answer_invitation(
    program_id: str, participant_id: str, body: Answer, reports: Reports
) -> dict[str, object]:
    """The invited mentee accepts or declines becoming a mentor (once):
    mentor_invitation.answered. 404 when not invited here, 409 when already answered."""
    invitation = await reports.answer(program_id, participant_id, body.accept)
    return {"participant_id": participant_id, **invitation}
