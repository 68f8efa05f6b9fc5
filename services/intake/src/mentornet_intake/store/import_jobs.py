"""Import jobs in MongoDB: the uploaded rows in chunks, each chunk's results beside them.

A job document says what to import and who asked; its rows live in chunk documents
(so no document nears MongoDB's 16 MB limit). A worker claims a job with a lease,
works through its chunks in order and records each chunk's results in that chunk with
one write, so progress is exact and survives a crash: another replica takes the job
over when the lease runs out and carries on from the first unfinished chunk.

Lease times are epoch seconds and other times ISO 8601 strings, because the embedded
MongoDB-wire server turns a datetime written with $set into a string (docs/embedded-stack.md).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence, Set
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Protocol, TypedDict, cast

from mentornet_chassis.store.mongo import Document
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from ..domain.bulk import RoleName, Row, RowError
from ..domain.import_job import (
    ACTIVE,
    ImportJob,
    JobStatus,
    RowEntry,
    RowKind,
    RowOutcome,
    correlation_of,
    counted,
)

JOBS = "import_jobs"
CHUNKS = "import_chunks"
CHUNK_ROWS = 100
LEASE_S = 60.0


class Owner(Protocol):
    """Who starts a job (a token's principal, or intake's Caller)."""

    @property
    def subject(self) -> str: ...
    @property
    def roles(self) -> Set[str]: ...
    @property
    def programs(self) -> Set[str]: ...


class Chunk(TypedDict):
    """Up to CHUNK_ROWS rows of a job; once done, their outcomes instead."""

    _id: str
    job_id: str
    index: int
    first_row: int
    rows: list[Document]
    done: bool
    attempts: int


def stamp() -> str:
    return datetime.now(UTC).isoformat()


def _stored_row(row: Row) -> Document:
    return {"errors": row.errors} if isinstance(row, RowError) else {"body": row}


def loaded_row(number: int, stored: Document) -> Row:
    return RowError(number, stored["errors"]) if "errors" in stored else stored["body"]


def _chunks(job_id: str, rows: Sequence[Row]) -> list[Chunk]:
    return [
        {
            "_id": f"{job_id}:{start // CHUNK_ROWS}",
            "job_id": job_id,
            "index": start // CHUNK_ROWS,
            "first_row": start + 1,
            "rows": [_stored_row(row) for row in rows[start : start + CHUNK_ROWS]],
            "done": False,
            "attempts": 0,
        }
        for start in range(0, len(rows), CHUNK_ROWS)
    ]


def new_import_id() -> str:
    """An import's id: its job's, and what its registrations name (`import_id`)."""
    return f"imp-{uuid.uuid4().hex[:16]}"


def _job(job_id: str, program_id: str, role: RoleName, owner: Owner, rows: int) -> ImportJob:
    return {
        "_id": job_id,
        "program_id": program_id,
        "role": role,
        "owner": {
            "subject": owner.subject,
            "roles": sorted(owner.roles),
            "programs": sorted(owner.programs),
        },
        "rows": rows,
        "chunks": -(-rows // CHUNK_ROWS),
        "status": JobStatus.QUEUED if rows else JobStatus.DONE,
        "correlation_id": correlation_of(job_id),
        "lease_until": time.time(),
        "created_at": stamp(),
        "finished_at": None if rows else stamp(),
        "error": None,
        "counts": {kind.value: 0 for kind in RowKind},
        "counted": [],
    }


class ImportJobs:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.jobs = db[JOBS]
        self.chunks = db[CHUNKS]

    async def ensure_indexes(self) -> None:
        await self.chunks.create_index([("job_id", ASCENDING), ("index", ASCENDING)], unique=True)
        await self.jobs.create_index("status")

    async def create(
        self, program_id: str, role: RoleName, owner: Owner, rows: Sequence[Row]
    ) -> ImportJob:
        """Chunks first, then the job: a job, once visible, has all its rows."""
        job_id = new_import_id()
        chunks = _chunks(job_id, rows)
        if chunks:
            await self.chunks.insert_many([cast(Document, c) for c in chunks])
        job = _job(job_id, program_id, role, owner, len(rows))
        await self.jobs.insert_one(cast(Document, job))
        return job

    async def get(self, job_id: str) -> ImportJob | None:
        return cast(ImportJob | None, await self.jobs.find_one({"_id": job_id}))

    async def claim(self, worker: str) -> ImportJob | None:
        """An active job nobody holds a live lease on, leased to this worker."""
        claimed = await self.jobs.find_one_and_update(
            {"status": {"$in": [s.value for s in ACTIVE]}, "lease_until": {"$lte": time.time()}},
            {
                "$set": {
                    "status": JobStatus.RUNNING.value,
                    "worker": worker,
                    "lease_until": time.time() + LEASE_S,
                }
            },
            return_document=ReturnDocument.AFTER,
        )
        return cast(ImportJob | None, claimed)

    async def renew(self, job_id: str, worker: str) -> bool:
        """False if the lease was lost to another worker."""
        result = await self.jobs.update_one(
            {"_id": job_id, "worker": worker}, {"$set": {"lease_until": time.time() + LEASE_S}}
        )
        return result.matched_count == 1

    async def release(self, job_id: str, worker: str) -> None:
        await self.jobs.update_one(
            {"_id": job_id, "worker": worker}, {"$set": {"lease_until": time.time()}}
        )

    async def next_chunk(self, job: ImportJob, start: int = 0) -> Chunk | None:
        """The first chunk from `start` on that is not done, read by id: a query for
        "the first not done" would have the embedded store load and sort every chunk of
        the job each time (docs/embedded-stack.md)."""
        for index in range(start, int(job["chunks"])):
            found = await self.chunks.find_one({"_id": f"{job['_id']}:{index}"})
            if found is not None and not found["done"]:
                return cast(Chunk, found)
        return None

    async def failed_attempt(self, chunk_id: str) -> int:
        chunk = await self.chunks.find_one_and_update(
            {"_id": chunk_id},
            {"$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER,
        )
        return int(chunk["attempts"]) if chunk else 0

    async def finish_chunk(self, chunk: Chunk, outcomes: Sequence[RowOutcome]) -> None:
        """Results replace the rows: names and e-mail addresses are kept only while
        their chunk waits to be imported (see docs/privacy.md). The job's counts first,
        once per chunk (`counted`), then the chunk: a crash in between imports the chunk
        again, and the counts keep what its first import did."""
        counts = counted(outcomes)
        await self.jobs.update_one(
            {"_id": chunk["job_id"], "counted": {"$ne": chunk["index"]}},
            {
                "$inc": {f"counts.{kind}": n for kind, n in counts.items()},
                "$push": {"counted": chunk["index"]},
            },
        )
        results = [{**asdict(o), "kind": o.kind.value} for o in outcomes]
        done = {"done": True, "rows": [], "counts": counts, "results": results}
        await self.chunks.update_one({"_id": chunk["_id"]}, {"$set": done})

    async def finish(self, job_id: str, error: str | None = None) -> None:
        status = JobStatus.FAILED if error else JobStatus.DONE
        await self.jobs.update_one(
            {"_id": job_id},
            {"$set": {"status": status.value, "error": error, "finished_at": stamp()}},
        )

    async def counts(self, job_id: str) -> dict[str, int]:
        """Rows finished so far, by kind: kept on the job; added up from its chunks for
        a job that an older version started."""
        job = await self.jobs.find_one({"_id": job_id}, {"counts": 1})
        if job is not None and "counts" in job:
            return {kind.value: int(job["counts"].get(kind.value, 0)) for kind in RowKind}
        totals = {kind.value: 0 for kind in RowKind}
        async for chunk in self.chunks.find({"job_id": job_id, "done": True}, {"counts": 1}):
            for kind in totals:
                totals[kind] += int(chunk["counts"][kind])
        return totals

    async def results(self, job_id: str, kind: RowKind, offset: int, limit: int) -> list[RowEntry]:
        """Row results of one kind, in row order, paged."""
        found: list[RowEntry] = []
        cursor = self.chunks.find(
            {"job_id": job_id, "done": True}, {"results": 1}, sort=[("index", ASCENDING)]
        )
        async for chunk in cursor:
            found.extend(r["entry"] for r in chunk["results"] if r["kind"] == kind)
            if len(found) >= offset + limit:
                break
        return found[offset : offset + limit]
