"""QA review over HTTP: a program's samples, claiming and reviewing one, agreement
between reviewers, and re-running a period's sampling from its seed."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from mentornet_chassis.http.auth import Principal, Role
from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import QA_TEAM, Grant, allow
from mentornet_chassis.http.provided import provided

from ..domain import reviews
from ..domain.documents import Sample
from ..usecases.reviews import Listed, PeriodReplay, ReviewDesk
from .views import AgreementView, PeriodView, SampleList, SampleView

Desk = Annotated[ReviewDesk, Depends(provided(ReviewDesk))]

router = guarded_router(tags=["qa review"])


def _viewer(principal: Principal) -> reviews.Viewer:
    return reviews.Viewer(
        subject=principal.subject,
        service=principal.has(Role.SERVICE),
        coordinates=principal.scope(Role.COORDINATOR),
    )


@router.get(
    "/programs/{program_id}/samples",
    response_model=SampleList,
    response_model_exclude_unset=True,
    **allow("samples.list", *QA_TEAM, on="program"),
)
async def listing(
    program_id: str, desk: Desk, principal: SignedIn, status: Listed = Query(default="all")
) -> dict[str, object]:
    found = await desk.listing(program_id, status, _viewer(principal))
    return {"program_id": program_id, "samples": found}


@router.get(
    "/samples/{sample_id}",
    response_model=SampleView,
    response_model_exclude_unset=True,
    **allow("samples.read", *QA_TEAM, on="sample"),
)
async def one(sample_id: str, desk: Desk, principal: SignedIn) -> Sample:
    return await desk.one(sample_id, _viewer(principal))


@router.post(
    "/samples/{sample_id}/claim",
    response_model=SampleView,
    response_model_exclude_unset=True,
    **allow("samples.claim", Grant.REVIEWER, on="sample"),
)
async def claim(sample_id: str, desk: Desk, principal: SignedIn) -> Sample:
    """Take a sample to review (two reviewers for a double-reviewed one)."""
    return await desk.claim(sample_id, _viewer(principal))


@router.post(
    "/samples/{sample_id}/reviews",
    status_code=201,
    response_model=SampleView,
    response_model_exclude_unset=True,
    **allow("samples.review", Grant.REVIEWER, on="sample"),
)
async def review(sample_id: str, body: reviews.Review, desk: Desk, principal: SignedIn) -> Sample:
    """Score the sampled session on the rubric, with an outcome and a comment. An
    `escalated` outcome opens a case on the match."""
    return await desk.review(sample_id, _viewer(principal), body)


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
