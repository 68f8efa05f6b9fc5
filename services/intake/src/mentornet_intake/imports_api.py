"""Bulk onboarding over HTTP: a CSV or JSON Lines file of participants for one program.

Every row is validated on its own; the answer lists what was registered, what was
already there (skipped, so importing the same file twice registers nothing new) and
what was rejected, with the field and the reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from mentornet_chassis.auth import Principal, Role, forbidden, requiring
from mentornet_chassis.http import ApiError

from .domain import programs
from .domain.bulk import MAX_ROWS, RoleName, RowError, read_rows, validate
from .registrar import Registrar

Current = Callable[[Request], Awaitable[Principal]]
MEDIA_TYPES = ("text/csv", "application/x-ndjson", "application/jsonl")


def _media_type(request: Request) -> str:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA_TYPES:
        raise ApiError(
            415, "unsupported_media_type", "Content-Type", f"send one of {', '.join(MEDIA_TYPES)}"
        )
    return media


def create_router(registrar: Registrar, current: Current) -> APIRouter:
    router = APIRouter(prefix="/programs", tags=["bulk onboarding"])
    coordinator = requiring(current, Role.COORDINATOR)

    @router.post("/{program_id}/imports/{role}")
    async def import_rows(
        program_id: str, role: RoleName, request: Request, principal: Principal = coordinator
    ) -> dict[str, Any]:
        program = await registrar.open_program(program_id)
        if not programs.manages(program, principal.subject, principal.programs):
            raise forbidden(f"you do not coordinate program {program_id}")
        rows = read_rows(await request.body(), _media_type(request))
        if len(rows) > MAX_ROWS:
            raise ApiError(422, "validation_failed", "body", f"at most {MAX_ROWS} rows")
        correlation_id = f"import-{uuid.uuid4().hex}"
        accepted: list[dict[str, Any]] = []
        skipped: list[dict[str, Any]] = []
        rejected: list[dict[str, Any]] = []
        for number, row in enumerate(rows, 1):
            body = row if isinstance(row, RowError) else validate(number, row, program_id, role)
            if isinstance(body, RowError):
                rejected.append({"row": body.row, "errors": body.errors})
                continue
            try:
                result = await registrar.enrol(body, Role(role), principal, correlation_id)
            except ApiError as exc:
                if exc.status == 409 and exc.field == "roles":
                    skipped.append({"row": number, "reason": exc.reason})
                else:
                    rejected.append({"row": number, "errors": exc.body["errors"]})
                continue
            accepted.append({"row": number, "participant_id": result["participant_id"]})
        return {
            "program_id": program_id,
            "role": role,
            "rows": len(rows),
            "registered": len(accepted),
            "skipped": len(skipped),
            "rejected": len(rejected),
            "correlation_id": correlation_id,
            "accepted_rows": accepted,
            "skipped_rows": skipped,
            "rejected_rows": rejected,
        }

    return router
