"""A cohort over HTTP: its weekly slot and group sessions."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.auth import Principal
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.http.provided import provided

from ..usecases.queries import Queries
from .views import CohortForMember, CohortInFull

Reads = Annotated[Queries, Depends(provided(Queries))]
Caller = Annotated[Principal, Depends(caller)]
router = guarded_router(tags=["calendars"])


@router.get(
    "/cohorts/{cohort_id}",
    response_model=CohortForMember | CohortInFull,
    **allow(
        "cohorts.read",
        Grant.MENTOR,
        Grant.MENTEE,
        Grant.COORDINATOR,
        Grant.SERVICE,
        on="cohort",
    ),
)
async def cohort(cohort_id: str, reads: Reads, principal: Caller) -> dict[str, object]:
    """The cohort's weekly slot and sessions. Its mentor and coordinators also see who
    attends and who cannot and why; a member sees only their own place."""
    found = await reads.cohort(cohort_id)
    public: dict[str, object] = {
        "cohort_id": found["cohort_id"],
        "program_id": found["program_id"],
        "mentor_id": found["mentor_id"],
        "status": found["status"],
        "slot": found.get("slot"),
        "sessions": found.get("sessions"),
    }
    me = principal.one_of(*found["members"].values())
    if me is not None and me != found["mentor_id"]:
        attending = me in found.get("attending", [])
        return {**public, "attending": attending, "reason": found.get("unable", {}).get(me)}
    return {
        **public,
        "members": found["members"],
        "attending": found.get("attending"),
        "unable": found.get("unable"),
        "detail": found.get("detail"),
    }
