"""Import jobs over HTTP: upload a large file, then follow its progress and results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from mentornet_chassis.errors import NotFound
from mentornet_chassis.http.auth import Principal
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import allow

from .access import TEAM
from .domain.bulk import MAX_JOB_ROWS, RoleName
from .import_jobs import ImportJobs
from .imports_api import uploaded_rows
from .registrar import Registrar

UPLOAD_PATH = r"^/programs/[^/]+/import-jobs/"


def _view(job: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    processed = sum(counts.values())
    return {
        "job_id": job["_id"],
        "program_id": job["program_id"],
        "role": job["role"],
        "status": job["status"],
        "rows": job["rows"],
        "processed": processed,
        "percent": round(100 * processed / job["rows"], 1) if job["rows"] else 100.0,
        **counts,
        "correlation_id": job["correlation_id"],
        "created_at": job["created_at"],
        "finished_at": job["finished_at"],
        "error": job["error"],
    }


def create_router(
    jobs: ImportJobs,
    registrar: Registrar,
    wake_worker: Callable[[], None],
) -> APIRouter:
    router = guarded_router(tags=["bulk onboarding"])
    read = allow("imports.follow", *TEAM, on="job")

    async def visible_job(job_id: str) -> dict[str, Any]:
        job = await jobs.get(job_id)
        if job is None:
            raise NotFound("job_id", f"no import job {job_id}")
        return job

    @router.post(
        "/programs/{program_id}/import-jobs/{role}",
        status_code=202,
        **allow("imports.start_job", *TEAM, on="program"),
    )
    async def start(
        program_id: str,
        role: RoleName,
        request: Request,
        response: Response,
        principal: Principal = Depends(caller),
    ) -> dict[str, Any]:
        """Queue a CSV or JSON Lines file; follow it at /import-jobs/{job_id}."""
        await registrar.open_program(program_id)
        rows = await uploaded_rows(request, MAX_JOB_ROWS)
        job = await jobs.create(program_id, role, principal, rows)
        wake_worker()
        response.headers["Location"] = f"/import-jobs/{job['_id']}"
        return _view(job, await jobs.counts(job["_id"]))

    @router.get("/import-jobs/{job_id}", **read)
    async def progress(job_id: str) -> dict[str, Any]:
        job = await visible_job(job_id)
        return _view(job, await jobs.counts(job_id))

    @router.get("/import-jobs/{job_id}/rows", **read)
    async def rows(
        job_id: str,
        outcome: Literal["registered", "skipped", "rejected"] = "rejected",
        offset: int = Query(default=0, ge=0),
        limit: int = Query(default=100, ge=1, le=1000),
    ) -> dict[str, Any]:
        """Finished rows with one outcome, in row order, a page at a time."""
        await visible_job(job_id)
        found = await jobs.results(job_id, outcome, offset, limit)
        return {"job_id": job_id, "outcome": outcome, "offset": offset, "rows": found}

    return router
