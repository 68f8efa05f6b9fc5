"""Bulk onboarding over HTTP: a CSV or JSON Lines file of participants for one program,
answered at once (usecases/importing.py)."""

from __future__ import annotations

from functools import partial

from fastapi import Request
from mentornet_chassis.errors import Invalid, UnsupportedMediaType
from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import TEAM, allow

from ..domain.bulk import MAX_ROWS, RoleName, Row, UnreadableFile, read_rows
from .access import caller_of
from .parts import Imports
from .views import ImportAnswer

router = guarded_router(prefix="/programs", tags=["bulk onboarding"])
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


@router.post(
    "/{program_id}/imports/{role}",
    response_model=ImportAnswer,
    **allow("imports.run", *TEAM, on="program"),
)
async def import_rows(
    program_id: str, role: RoleName, request: Request, principal: SignedIn, imports: Imports
) -> dict[str, object]:
    """Every row is validated on its own; the answer lists what was registered, what
    was already there (skipped, so importing the same file twice registers nothing new)
    and what was rejected, with the field and the reason."""
    read = partial(uploaded_rows, request, MAX_ROWS, "; send larger files as an import job")
    report = await imports.run(program_id, role, read, caller_of(principal))
    tally = report.tally
    return {
        "program_id": program_id,
        "role": role,
        "rows": report.rows,
        "registered": len(tally.registered),
        "skipped": len(tally.skipped),
        "rejected": len(tally.rejected),
        "correlation_id": report.correlation_id,
        "accepted_rows": tally.registered,
        "skipped_rows": tally.skipped,
        "rejected_rows": tally.rejected,
    }
