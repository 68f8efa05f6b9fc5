"""QA review over HTTP: a program's samples, claiming and reviewing one, agreement
between reviewers, and re-running a period's sampling from its seed."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from mentornet_chassis.http.auth import Principal, Role
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.http.provided import provided

from ..domain import reviews
from ..domain.documents import Sample, SampleStatus
from ..usecases.reviews import Listed, PeriodReplay, ReviewDesk
from .access import QA_TEAM
from .views import AgreementView, PeriodView, SampleList, SampleView

Desk = Annotated[ReviewDesk, Depends(provided(ReviewDesk))]
Caller = Annotated[Principal, Depends(caller)]

router = guarded_router(tags=["qa review"])


def _as_seen(sample: Sample, principal: Principal) -> Sample:
    """A reviewer sees other reviewers' scores only once the sample is fully reviewed,
    so a second review is made on its own (and agreement means something)."""
    if (
        principal.has(Role.SERVICE)
        or principal.runs(sample["program_id"])
        or sample["status"] == SampleStatus.REVIEWED
    ):
        return sample
    return {
        **sample,
        "reviews": [r for r in sample["reviews"] if r["reviewer_id"] == principal.subject],
    }


@router.get(
    "/programs/{program_id}/samples",
    response_model=SampleList,
    response_model_exclude_unset=True,
    **allow("samples.list", *QA_TEAM, on="program"),
)
async def listing(
    program_id: str, desk: Desk, principal: Caller, status: Listed = Query(default="all")
) -> dict[str, object]:
    found = await desk.listing(program_id, status)
    return {"program_id": program_id, "samples": [_as_seen(s, principal) for s in found]}


@router.get(
    "/samples/{sample_id}",
    response_model=SampleView,
    response_model_exclude_unset=True,
    **allow("samples.read", *QA_TEAM, on="sample"),
)
async def one(sample_id: str, desk: Desk, principal: Caller) -> Sample:
    return _as_seen(await desk.one(sample_id), principal)


@router.post(
    "/samples/{sample_id}/claim",
    response_model=SampleView,
    response_model_exclude_unset=True,
    **allow("samples.claim", Grant.REVIEWER, on="sample"),
)
async def claim(sample_id: str, desk: Desk, principal: Caller) -> Sample:
    """Take a sample to review (two reviewers for a double-reviewed one)."""
    return await desk.claim(sample_id, principal.subject)


@router.post(
    "/samples/{sample_id}/reviews",
    status_code=201,
    response_model=SampleView,
    response_model_exclude_unset=True,
    **allow("samples.review", Grant.REVIEWER, on="sample"),
)
async def review(sample_id: str, body: reviews.Review, desk: Desk, principal: Caller) -> Sample:
    """Score the sampled session on the rubric, with an outcome and a comment. An
    `escalated` outcome opens a case on the match."""
    return await desk.review(sample_id, principal.subject, body)


@router.get(
    "/programs/{program_id}/reviews/agreement",
    response_model=AgreementView,
    response_model_exclude_unset=True,
    **allow("reviews.agreement", *QA_TEAM, on="program"),
)
async def agreement(program_id: str, desk: Desk) -> dict[str, object]:
    """Between the two reviewers of each double-reviewed sample."""
    return {"program_id": program_id, **await desk.agreement(program_id)}


@router.get(
    "/programs/{program_id}/sampling/{period}",
    response_model=PeriodView,
    response_model_exclude_unset=True,
    **allow("sampling.replay", *QA_TEAM, on="program"),
)
async def period(program_id: str, period: str, desk: Desk) -> PeriodReplay:
    """A period's sampling decisions, and whether making them again from the same
    seed gives the same sample."""
    return await desk.period(program_id, period)
