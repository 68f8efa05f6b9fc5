"""A cohort over HTTP: its weekly slot and group sessions."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import PAIR, TEAM, allow
from mentornet_chassis.http.provided import provided

from ..domain import cohorts
from ..usecases.queries import Queries
from . import access
from .views import CohortForMember, CohortInFull

Reads = Annotated[Queries, Depends(provided(Queries))]
router = guarded_router(tags=["calendars"])


@router.get(
    "/cohorts/{cohort_id}",
    response_model=CohortForMember | CohortInFull,
    **allow(
        "cohorts.read",
        *PAIR,
        *TEAM,
        on="cohort",
    ),
)
async def cohort(cohort_id: str, reads: Reads, principal: SignedIn) -> dict[str, object]:
    """The cohort's weekly slot and sessions. Its mentor and coordinators also see who
    attends and who cannot and why; a member sees only their own place."""
    return cohorts.as_seen_by(await reads.cohort(cohort_id), access.viewer(principal))
