"""Bulk imports as the matcher sees them: a pool that arrives together is placed
together.

An import's registrations name it (`import_id`); until the import is complete, its
mentees are held back from placement, so one batch run places the whole pool (the
certified optimal assignment) rather than one incremental placement per person, each
made before the people after them were known. Its mentors join the roster at once but
ask for no run of their own.

Complete means its end was heard (import.finished, which says how many it registered)
and that many of its registrations have been handled here. The end travels on another
topic than the registrations, so it often overtakes them: whichever of the two comes
last asks for the batch run. A registration handled twice (redelivered) counts twice and
lets the pool go one registration early; the last one is then placed on its own, which
is correct, only not part of the batch.

Patience bounds the hold: an import not complete `patience_s` after it was first seen
(its job stopped for good and announced nothing, say) holds nobody, and the program's
scheduled batch run places its people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NotRequired, TypedDict

from .documents import Candidate

PATIENCE_S = 3600.0


class ImportRecord(TypedDict):
    _id: str
    program_id: str
    first_seen: float
    """Epoch seconds: when its first registration or its end was handled."""
    seen: int
    """Its registrations handled here."""
    expected: NotRequired[int]
    """How many it registered, as its end said: present once the end was heard."""


def import_of(candidate: Candidate, role: str) -> str | None:
    """The import that registered the candidate in `role`, if any."""
    profile = candidate.get("roles", {}).get(role) or {}
    found = profile.get("import_id")
    return str(found) if found else None


def finished(record: ImportRecord) -> bool:
    return "expected" in record


def complete(record: ImportRecord) -> bool:
    return finished(record) and record["seen"] >= record.get("expected", 0)


def holds(record: ImportRecord, now: float, patience_s: float = PATIENCE_S) -> bool:
    """Whether the import still holds its people back from placement."""
    return not complete(record) and now - record["first_seen"] < patience_s


@dataclass(frozen=True)
class Arrival:
    """What one of its registrations, just counted, means for the import."""

    held: bool
    """Leave the person to the batch run (or to a later one)."""
    completes: bool
    """This registration made the import complete: ask for the run now."""


def arrival(record: ImportRecord, now: float, patience_s: float = PATIENCE_S) -> Arrival:
    """`record` as counting this registration left it."""
    if finished(record) and record["seen"] == record.get("expected", 0):
        return Arrival(held=True, completes=True)
    return Arrival(held=holds(record, now, patience_s), completes=False)


def held_mentees(candidates: list[Candidate], holding: set[str]) -> set[str]:
    """The mentees of `candidates` that an import in `holding` registered."""
    return {c["participant_id"] for c in candidates if import_of(c, "mentee") in holding}
