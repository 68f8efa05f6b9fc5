"""One import row end to end: validated, then registered, skipped or rejected.

Shared by the synchronous import route and the background import jobs, so both answer
in the same terms. A row registered earlier (the same file imported again) is skipped,
which is what makes an import idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from mentornet_chassis.errors import Refusal
from mentornet_chassis.http.auth import Principal, Role

from .domain.bulk import RoleName, Row, RowError, validate
from .registrar import ALREADY_REGISTERED, Registrar

Kind = Literal["registered", "skipped", "rejected"]
KINDS: tuple[Kind, ...] = ("registered", "skipped", "rejected")


@dataclass(frozen=True)
class RowOutcome:
    kind: Kind
    entry: dict[str, Any]


async def import_row(
    registrar: Registrar,
    number: int,
    row: Row,
    program_id: str,
    role: RoleName,
    principal: Principal,
    correlation_id: str,
) -> RowOutcome:
    """Bad input becomes a rejected row; any other failure propagates to be retried."""
    body = row if isinstance(row, RowError) else validate(number, row, program_id, role)
    if isinstance(body, RowError):
        return RowOutcome("rejected", {"row": number, "errors": body.errors})
    try:
        result = await registrar.enrol(body, Role(role), principal, correlation_id)
    except Refusal as exc:
        if exc.status == 409 and exc.body["error"] == ALREADY_REGISTERED:
            return RowOutcome("skipped", {"row": number, "reason": exc.reason})
        return RowOutcome("rejected", {"row": number, "errors": exc.body["errors"]})
    return RowOutcome("registered", {"row": number, "participant_id": result["participant_id"]})


def tally(outcomes: list[RowOutcome]) -> dict[str, Any]:
    """Counts and row lists by kind: registered, skipped, rejected."""
    report: dict[str, Any] = {kind: 0 for kind in KINDS}
    for kind in KINDS:
        rows = [o.entry for o in outcomes if o.kind == kind]
        report[kind] = len(rows)
        report[f"{kind}_rows"] = rows
    return report
