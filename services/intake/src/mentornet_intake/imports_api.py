"""Bulk onboarding over HTTP: a CSV or JSON Lines file of participants for one program.

Every row is validated on its own; the answer lists what was registered, what was
already there (skipped, so importing the same file twice registers nothing new) and
what was rejected, with the field and the reason.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from mentornet_chassis.errors import Invalid, UnsupportedMediaType
from mentornet_chassis.http.auth import Principal
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import allow

from .access import TEAM
from .domain.bulk import MAX_ROWS, RoleName, Row, UnreadableFile, read_rows
from .importer import import_row, tally
from .registrar import Registrar

MEDIA_TYPES = ("text/csv", "application/x-ndjson", "application/jsonl")


def _media_type(request: Request) -> str:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA_TYPES:
        raise UnsupportedMediaType("Content-Type", f"send one of {', '.join(MEDIA_TYPES)}")
    return media


async def uploaded_rows(request: Request, max_rows: int, hint: str = "") -> list[Row]:
    """The request body as rows; an unreadable file or too many rows is a 422."""
    media_type = _media_type(request)
    try:
        rows = read_rows(await request.body(), media_type)
    except UnreadableFile as exc:
        raise Invalid("body", str(exc)) from None
    if len(rows) > max_rows:
        raise Invalid("body", f"at most {max_rows} rows{hint}")
    return rows


def create_router(registrar: Registrar) -> APIRouter:
    router = guarded_router(prefix="/programs", tags=["bulk onboarding"])

    @router.post("/{program_id}/imports/{role}", **allow("imports.run", *TEAM, on="program"))
    async def import_rows(
        program_id: str, role: RoleName, request: Request, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        await registrar.open_program(program_id)
        rows = await uploaded_rows(request, MAX_ROWS, "; send larger files as an import job")
        correlation_id = f"import-{uuid.uuid4().hex}"
        outcomes = [
            await import_row(registrar, n, row, program_id, role, principal, correlation_id)
            for n, row in enumerate(rows, 1)
        ]
        report = tally(outcomes)
        return {
            "program_id": program_id,
            "role": role,
            "rows": len(rows),
            "registered": report["registered"],
            "skipped": report["skipped"],
            "rejected": report["rejected"],
            "correlation_id": correlation_id,
            "accepted_rows": report["registered_rows"],
            "skipped_rows": report["skipped_rows"],
            "rejected_rows": report["rejected_rows"],
        }

    return router
