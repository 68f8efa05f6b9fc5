"""A program's matching board over HTTP, for its coordinators: every match and who
waits and why, batch runs on demand and their certified results, skill coverage gaps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from mentornet_chassis.auth import Principal, Role, forbidden, requiring
from mentornet_chassis.http import not_found

from .batch_runs import BatchRuns
from .coverage import CoverageBoard
from .store import MatcherStores

Current = Callable[[Request], Awaitable[Principal]]


def create_router(
    stores: MatcherStores,
    runs: BatchRuns,
    coverage: CoverageBoard,
    current: Current,
    wake_worker: Callable[[], None],
) -> APIRouter:
    router = APIRouter(tags=["programs"])

    async def coordinated(program_id: str, principal: Principal) -> None:
        if not (principal.runs(program_id) or principal.has(Role.SERVICE)):
            raise forbidden(f"you do not coordinate program {program_id}")
        if await stores.programs.get_state(program_id) is None:
            raise not_found("program_id", f"no published program {program_id}")

    @router.get("/programs/{program_id}/matches")
    async def listing(
        program_id: str, principal: Principal = requiring(current, Role.COORDINATOR, Role.SERVICE)
    ) -> dict[str, Any]:
        """Every match of the program with its explanation, and who is waiting and why."""
        await coordinated(program_id, principal)
        return {
            "program_id": program_id,
            "matches": await stores.matches_in(program_id),
            "waitlisted": await stores.waiting_in(program_id),
        }

    @router.post("/programs/{program_id}/matching-runs", status_code=202)
    async def request_run(
        program_id: str, principal: Principal = requiring(current, Role.COORDINATOR, Role.SERVICE)
    ) -> dict[str, Any]:
        """Ask for a batch run now: every unplaced mentee, certified optimal. The result
        shows under GET .../matching-runs/latest."""
        await coordinated(program_id, principal)
        await runs.request(program_id)
        wake_worker()
        return {"program_id": program_id, "requested": True}

    @router.get("/programs/{program_id}/matching-runs/latest")
    async def latest_run(
        program_id: str, principal: Principal = requiring(current, Role.COORDINATOR, Role.SERVICE)
    ) -> dict[str, Any]:
        """The last batch run: placed, waitlisted, total score, LP bound and gap; and
        whether a run has been asked for since."""
        await coordinated(program_id, principal)
        doc = await runs.get(program_id) or {}
        last = {k: v for k, v in (doc.get("last") or {}).items() if k != "prices"}
        pending = doc.get("requested", 0) > doc.get("done", 0)
        return {"program_id": program_id, "pending": pending, "last": last or None}

    @router.get("/programs/{program_id}/coverage")
    async def coverage_gaps(
        program_id: str, principal: Principal = requiring(current, Role.COORDINATOR, Role.SERVICE)
    ) -> dict[str, Any]:
        """Skills that waiting mentees need and too few free mentor places offer, as of
        the last batch run: whom to recruit."""
        await coordinated(program_id, principal)
        latest = await coverage.latest(program_id) or {
            "skills": [],
            "waiting_mentees": 0,
            "mentors_with_capacity": 0,
        }
        return {"program_id": program_id, **latest}

    return router
