"""An import job as intake keeps it: what to import, who asked, how far it has got.

The job's rows live in chunk documents beside it (store/import_jobs.py); each chunk,
once imported, holds its rows' outcomes instead of the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NotRequired, TypedDict

from mentornet_contracts.events.programs import ImportFinished, ImportRole, ImportStatus

from .bulk import RoleName


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class RowKind(StrEnum):
    """What became of one row."""

    REGISTERED = "registered"
    SKIPPED = "skipped"
    REJECTED = "rejected"


class JobOwner(TypedDict):
    """Who started the job: their rows are registered as if they sent each one."""

    subject: str
    roles: list[str]
    programs: list[str]


class ImportJob(TypedDict):
    _id: str
    program_id: str
    role: RoleName
    owner: JobOwner
    rows: int
    chunks: int
    status: JobStatus
    correlation_id: str
    lease_until: float
    """Epoch seconds: until then the worker named on the job holds it."""
    created_at: str
    finished_at: str | None
    error: str | None
    worker: NotRequired[str]
    """The worker that last claimed the job."""
    counts: NotRequired[dict[str, int]]
    """Rows finished so far, by kind (absent on jobs an older version started)."""
    counted: NotRequired[list[int]]
    """The chunks already added to `counts`."""


RowEntry = dict[str, Any]
"""A row's outcome as answered: its number, then the participant id (registered), the
reason (skipped) or the errors (rejected)."""


@dataclass(frozen=True)
class RowOutcome:
    kind: RowKind
    entry: RowEntry


@dataclass(frozen=True)
class Tally:
    """Outcomes counted and listed by kind."""

    registered: list[RowEntry]
    skipped: list[RowEntry]
    rejected: list[RowEntry]

    @classmethod
    def of(cls, outcomes: Sequence[RowOutcome]) -> Tally:
        def rows(kind: RowKind) -> list[RowEntry]:
            return [o.entry for o in outcomes if o.kind == kind]

        return cls(rows(RowKind.REGISTERED), rows(RowKind.SKIPPED), rows(RowKind.REJECTED))


def counted(outcomes: Sequence[RowOutcome]) -> dict[str, int]:
    """How many rows of each kind, every kind named."""
    return {kind.value: sum(1 for o in outcomes if o.kind == kind) for kind in RowKind}


def correlation_of(import_id: str) -> str:
    """The correlation id every event of an import carries."""
    return f"import-{import_id}"


@dataclass(frozen=True)
class ImportEnd:
    """An import that has handled its last row, or stopped for good (`error`)."""

    program_id: str
    import_id: str
    role: RoleName
    rows: int
    counts: dict[str, int]
    error: str | None = None

    @property
    def handled_id(self) -> str:
        """What the program remembers having announced: once per import."""
        return f"{self.import_id}.finished"


def finished_event(end: ImportEnd) -> ImportFinished:
    return ImportFinished(
        program_id=end.program_id,
        import_id=end.import_id,
        role=ImportRole(end.role),
        status=ImportStatus.FAILED if end.error else ImportStatus.DONE,
        rows=end.rows,
        registered=end.counts.get(RowKind.REGISTERED, 0),
        skipped=end.counts.get(RowKind.SKIPPED, 0),
        rejected=end.counts.get(RowKind.REJECTED, 0),
    )
