"""A program's matching board over HTTP, for its coordinators: every match and who
waits and why, batch runs on demand and their certified results, skill coverage gaps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow

from .batch_runs import BatchRuns
from .coverage import CoverageBoard
from .store import MatcherStores

TEAM = (Grant.COORDINATOR, Grant.SERVICE)


def create_router(
    stores: MatcherStores,
    runs: BatchRuns,
    coverage: CoverageBoard,
    wake_worker: Callable[[], None],
) -> APIRouter:
    router = guarded_router(tags=["programs"])

    @router.get("/programs/{program_id}/matches", **allow("board.matches", *TEAM, on="program"))
    async def listing(program_id: str) -> dict[str, Any]:
        """Every match of the program with its explanation, and who is waiting and why."""
        return {
            "program_id": program_id,
            "matches": await stores.matches_in(program_id),
            "waitlisted": await stores.waiting_in(program_id),
        }

    @router.post(
        "/programs/{program_id}/matching-runs",
        status_code=202,
        **allow("board.request_run", *TEAM, on="program"),
    )
    async def request_run(program_id: str) -> dict[str, Any]:
        """Ask for a batch run now: every unplaced mentee, certified optimal. The result
        shows under GET .../matching-runs/latest."""
        await runs.request(program_id)
        wake_worker()
        return {"program_id": program_id, "requested": True}

    @router.get(
        "/programs/{program_id}/matching-runs/latest",
        **allow("board.latest_run", *TEAM, on="program"),
    )
    async def latest_run(program_id: str) -> dict[str, Any]:
        """The last batch run: placed, waitlisted, total score, LP bound and gap; and
        whether a run has been asked for since."""
        doc = await runs.get(program_id) or {}
        last = {k: v for k, v in (doc.get("last") or {}).items() if k != "prices"}
        pending = doc.get("requested", 0) > doc.get("done", 0)
        return {"program_id": program_id, "pending": pending, "last": last or None}

    @router.get("/programs/{program_id}/coverage", **allow("board.coverage", *TEAM, on="program"))
    async def coverage_gaps(program_id: str) -> dict[str, Any]:
        """Skills that waiting mentees need and too few free mentor places offer, as of
        the last batch run: whom to recruit."""
        latest = await coverage.latest(program_id) or {
            "skills": [],
            "waiting_mentees": 0,
            "mentors_with_capacity": 0,
        }
        return {"program_id": program_id, **latest}

    return router
