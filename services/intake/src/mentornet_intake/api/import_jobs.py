"""Import jobs over HTTP: upload a large file, then follow its progress and results."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import Query, Request, Response
from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import TEAM, allow

from ..domain.bulk import MAX_JOB_ROWS, RoleName
from ..domain.import_job import RowKind
from ..usecases.importing import Progress
from .access import caller_of
from .imports import uploaded_rows
from .parts import Imports
from .views import JobRows, JobView

UPLOAD_PATH = r"^/programs/[^/]+/import-jobs/"
"""Uploads here may be larger than other bodies (settings.max_import_bytes)."""

router = guarded_router(tags=["bulk onboarding"])
FOLLOW = allow("imports.follow", *TEAM, on="job")
Offset = Annotated[int, Query(ge=0)]
Limit = Annotated[int, Query(ge=1, le=1000)]


def _view(progress: Progress) -> dict[str, object]:
    """The answer's keys, checked and filtered by the route's response model."""
    job, counts = progress.job, progress.counts
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


@router.post(
    "/programs/{program_id}/import-jobs/{role}",
    status_code=202,
    response_model=JobView,
    **allow("imports.start_job", *TEAM, on="program"),
)
async def start(
    program_id: str,
    role: RoleName,
    request: Request,
    response: Response,
    principal: SignedIn,
    imports: Imports,
) -> dict[str, object]:
    """Queue a CSV or JSON Lines file; follow it at /import-jobs/{job_id}."""
    read = partial(uploaded_rows, request, MAX_JOB_ROWS)
    progress = await imports.start(program_id, role, read, caller_of(principal))
    response.headers["Location"] = f"/import-jobs/{progress.job['_id']}"
    return _view(progress)


@router.get("/import-jobs/{job_id}", response_model=JobView, **FOLLOW)
async def progress(job_id: str, imports: Imports) -> dict[str, object]:
    return _view(await imports.progress(job_id))


@router.get("/import-jobs/{job_id}/rows", response_model=JobRows, **FOLLOW)
async def rows(
    job_id: str,
    imports: Imports,
    outcome: RowKind = RowKind.REJECTED,
    offset: Offset = 0,
    limit: Limit = 100,
) -> dict[str, object]:
    """Finished rows with one outcome, in row order, a page at a time."""
    found = await imports.results(job_id, outcome, offset, limit)
    return {"job_id": job_id, "outcome": outcome, "offset": offset, "rows": found}
