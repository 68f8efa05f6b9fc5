"""Runs import jobs in the background, chunk by chunk, on any intake replica.

A chunk that fails for a reason other than bad input (the database unreachable, say)
is retried with a growing pause; after MAX_CHUNK_ATTEMPTS the job is marked failed
with the reason, visibly, rather than skipped or retried for ever.
"""

from __future__ import annotations

import asyncio
import uuid

import structlog
from mentornet_chassis.process.workers import pause

from .api.access import job_owner
from .domain.import_job import ImportEnd, ImportJob, RowOutcome
from .store.import_jobs import Chunk, ImportJobs, loaded_row
from .usecases.import_end import announce_end
from .usecases.importing import RowSource, import_rows
from .usecases.registrar import Registrar

log = structlog.get_logger("mentornet.intake.imports")

MAX_CHUNK_ATTEMPTS = 5
IDLE_POLL_S = 2.0


class ImportWorker:
    def __init__(self, jobs: ImportJobs, registrar: Registrar) -> None:
        self.jobs = jobs
        self.registrar = registrar
        self.worker = f"worker-{uuid.uuid4().hex[:8]}"
        self.wake = asyncio.Event()

    async def run(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            job = await self.jobs.claim(self.worker)
            if job is None:
                await pause(stopping, self.wake, IDLE_POLL_S)
                continue
            await self._work_on(job, stopping)

    async def _work_on(self, job: ImportJob, stopping: asyncio.Event) -> None:
        job_id = job["_id"]
        bound = log.bind(job_id=job_id, correlation_id=job["correlation_id"])
        bound.info("import job claimed", rows=job["rows"], program_id=job["program_id"])
        position = 0
        while not stopping.is_set():
            chunk = await self.jobs.next_chunk(job, position)
            if chunk is None:
                await self._end(job)
                bound.info("import job done", **await self.jobs.counts(job_id))
                return
            try:
                outcomes = await self._import_chunk(job, chunk)
            except Exception as exc:
                attempts = await self.jobs.failed_attempt(chunk["_id"])
                bound.error(
                    "import chunk failed", chunk=chunk["index"], attempts=attempts, exc_info=exc
                )
                if attempts >= MAX_CHUNK_ATTEMPTS:
                    await self._end(job, f"rows from {chunk['first_row']}: {exc!r}")
                    return
                await asyncio.sleep(min(30.0, 0.5 * 2**attempts))
                continue
            await self.jobs.finish_chunk(chunk, outcomes)
            position = chunk["index"] + 1
            if not await self.jobs.renew(job_id, self.worker):
                bound.warning("import job lease lost; another worker carries on")
                return
        await self.jobs.release(job_id, self.worker)

    async def _end(self, job: ImportJob, error: str | None = None) -> None:
        """Announce the end (import_end.py), then mark the job finished."""
        counts = await self.jobs.counts(job["_id"])
        ending = ImportEnd(job["program_id"], job["_id"], job["role"], job["rows"], counts, error)
        await announce_end(self.registrar, ending)
        await self.jobs.finish(job["_id"], error)

    async def _import_chunk(self, job: ImportJob, chunk: Chunk) -> list[RowOutcome]:
        source = RowSource(job["program_id"], job["role"], job_owner(job), job["_id"])
        first = chunk["first_row"]
        rows = [
            (first + n, loaded_row(first + n, stored)) for n, stored in enumerate(chunk["rows"])
        ]
        return await import_rows(self.registrar, rows, source)
