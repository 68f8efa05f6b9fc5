"""Bulk onboarding: a file of participants for one program, imported at once (up to
MAX_ROWS rows) or as a job the import worker runs (workers.py).

Every row is validated on its own and ends registered, skipped (registered earlier: the
same file imported again, which makes an import idempotent) or rejected, with the field
and the reason; both ways answer in the same terms.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from mentornet_chassis.errors import NotFound, Refusal

from ..domain.bulk import RoleName, Row, RowError, validate
from ..domain.caller import Caller
from ..domain.import_job import (
    ImportEnd,
    ImportJob,
    RowEntry,
    RowKind,
    RowOutcome,
    Tally,
    correlation_of,
    counted,
)
from ..domain.registration import AlreadyRegistered
from ..store.import_jobs import CHUNK_ROWS, ImportJobs, new_import_id
from .bulk_registrar import enrol_many
from .import_end import announce_end
from .registrar import Registered, Registrar, Registration

ReadRows = Callable[[], Awaitable[list[Row]]]
"""The uploaded file's rows, read once the program is known to be open."""


@dataclass(frozen=True)
class RowSource:
    """Where a row comes from: which program and role it registers, and for whom."""

    program_id: str
    role: RoleName
    caller: Caller
    import_id: str

    @property
    def correlation_id(self) -> str:
        return correlation_of(self.import_id)


@dataclass(frozen=True)
class ImportReport:
    program_id: str
    role: RoleName
    rows: int
    tally: Tally
    correlation_id: str


@dataclass(frozen=True)
class Progress:
    job: ImportJob
    counts: dict[str, int]


async def import_row(registrar: Registrar, number: int, row: Row, source: RowSource) -> RowOutcome:
    """Bad input becomes a rejected row; any other failure propagates to be retried."""
    body = (
        row
        if isinstance(row, RowError)
        else validate(number, row, source.program_id, source.role, registrar.clock())
    )
    if isinstance(body, RowError):
        return RowOutcome(RowKind.REJECTED, {"row": number, "errors": body.errors})
    return await enrol_row(registrar, number, body, source)


async def enrol_row(
    registrar: Registrar, number: int, body: Registration, source: RowSource
) -> RowOutcome:
    """A valid row, registered on its own."""
    try:
        result = await registrar.enrol(body, source.caller, source.correlation_id, source.import_id)
    except AlreadyRegistered as exc:
        return RowOutcome(RowKind.SKIPPED, {"row": number, "reason": exc.reason})
    except Refusal as exc:
        return RowOutcome(RowKind.REJECTED, {"row": number, "errors": exc.body["errors"]})
    return RowOutcome(RowKind.REGISTERED, {"row": number, "participant_id": result.participant_id})


async def import_rows(
    registrar: Registrar, rows: Sequence[tuple[int, Row]], source: RowSource
) -> list[RowOutcome]:
    """`import_row` for a chunk of numbered rows, in order: the valid new people of the
    chunk registered together (bulk_registrar.py), the rest one by one."""
    outcomes: dict[int, RowOutcome] = {}
    valid: list[tuple[int, Registration]] = []
    for number, row in rows:
        body = (
            row
            if isinstance(row, RowError)
            else validate(number, row, source.program_id, source.role, registrar.clock())
        )
        if isinstance(body, RowError):
            outcomes[number] = RowOutcome(RowKind.REJECTED, {"row": number, "errors": body.errors})
        else:
            valid.append((number, body))
    results = await enrol_many(
        registrar,
        source.program_id,
        [b for _, b in valid],
        source.caller,
        source.correlation_id,
        source.import_id,
    )
    for (number, body), result in zip(valid, results, strict=True):
        if isinstance(result, Registered):
            entry = {"row": number, "participant_id": result.participant_id}
            outcomes[number] = RowOutcome(RowKind.REGISTERED, entry)
        elif isinstance(result, Refusal):
            outcomes[number] = RowOutcome(
                RowKind.REJECTED, {"row": number, "errors": result.body["errors"]}
            )
        else:
            outcomes[number] = await enrol_row(registrar, number, body, source)
    return [outcomes[number] for number, _ in rows]


class Importing:
    def __init__(
        self, registrar: Registrar, jobs: ImportJobs, wake_worker: Callable[[], None]
    ) -> None:
        self.registrar = registrar
        self.jobs = jobs
        self.wake_worker = wake_worker

    async def run(
        self, program_id: str, role: RoleName, read: ReadRows, caller: Caller
    ) -> ImportReport:
        """Every row now, in file order."""
        await self.registrar.open_program(program_id)
        rows = await read()
        source = RowSource(program_id, role, caller, new_import_id())
        numbered = list(enumerate(rows, 1))
        outcomes: list[RowOutcome] = []
        for start in range(0, len(numbered), CHUNK_ROWS):
            chunk = numbered[start : start + CHUNK_ROWS]
            outcomes += await import_rows(self.registrar, chunk, source)
        ending = ImportEnd(program_id, source.import_id, role, len(rows), counted(outcomes))
        await announce_end(self.registrar, ending)
        return ImportReport(program_id, role, len(rows), Tally.of(outcomes), source.correlation_id)

    async def start(
        self, program_id: str, role: RoleName, read: ReadRows, caller: Caller
    ) -> Progress:
        """Queue the file as a job for the import worker."""
        await self.registrar.open_program(program_id)
        job = await self.jobs.create(program_id, role, caller, await read())
        self.wake_worker()
        return Progress(job, await self.jobs.counts(job["_id"]))

    async def progress(self, job_id: str) -> Progress:
        return Progress(await self._job(job_id), await self.jobs.counts(job_id))

    async def results(self, job_id: str, kind: RowKind, offset: int, limit: int) -> list[RowEntry]:
        """Finished rows with one outcome, in row order, a page at a time."""
        await self._job(job_id)
        return await self.jobs.results(job_id, kind, offset, limit)

    async def _job(self, job_id: str) -> ImportJob:
        job = await self.jobs.get(job_id)
        if job is None:
            raise NotFound("job_id", f"no import job {job_id}")
        return job
