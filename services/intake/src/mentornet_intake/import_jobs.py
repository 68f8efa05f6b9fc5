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
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from mentornet_chassis.http.auth import Principal, Role
from mentornet_chassis.store.mongo import Document
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from .domain.bulk import RoleName, Row, RowError
from .importer import KINDS, RowOutcome

JOBS = "import_jobs"
CHUNKS = "import_chunks"
CHUNK_ROWS = 100
LEASE_S = 60.0
ACTIVE = ("queued", "running")


def stamp() -> str:
    return datetime.now(UTC).isoformat()


def _stored_row(row: Row) -> Document:
    return {"errors": row.errors} if isinstance(row, RowError) else {"body": row}


def loaded_row(number: int, stored: Document) -> Row:
    return RowError(number, stored["errors"]) if "errors" in stored else stored["body"]


def principal_of(job: Document) -> Principal:
    owner = job["owner"]
    return Principal(
        subject=owner["subject"],
        roles=frozenset(Role(r) for r in owner["roles"]),
        programs=frozenset(owner["programs"]),
    )


class ImportJobs:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.jobs = db[JOBS]
        self.chunks = db[CHUNKS]

    async def ensure_indexes(self) -> None:
        await self.chunks.create_index([("job_id", ASCENDING), ("index", ASCENDING)], unique=True)
        await self.jobs.create_index("status")

    async def create(
        self, program_id: str, role: RoleName, principal: Principal, rows: Sequence[Row]
    ) -> Document:
        """Chunks first, then the job: a job, once visible, has all its rows."""
        job_id = f"imp-{uuid.uuid4().hex[:16]}"
        chunks = [
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
        if chunks:
            await self.chunks.insert_many(chunks)
        job: Document = {
            "_id": job_id,
            "program_id": program_id,
            "role": role,
            "owner": {
                "subject": principal.subject,
                "roles": sorted(principal.roles),
                "programs": sorted(principal.programs),
            },
            "rows": len(rows),
            "chunks": len(chunks),
            "status": "queued" if chunks else "done",
            "correlation_id": f"import-{job_id}",
            "lease_until": time.time(),
            "created_at": stamp(),
            "finished_at": None if chunks else stamp(),
            "error": None,
        }
        await self.jobs.insert_one(job)
        return job

    async def get(self, job_id: str) -> Document | None:
        return await self.jobs.find_one({"_id": job_id})

    async def claim(self, worker: str) -> Document | None:
        """An active job nobody holds a live lease on, leased to this worker."""
        return await self.jobs.find_one_and_update(
            {"status": {"$in": list(ACTIVE)}, "lease_until": {"$lte": time.time()}},
            {"$set": {"status": "running", "worker": worker, "lease_until": time.time() + LEASE_S}},
            return_document=ReturnDocument.AFTER,
        )

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

    async def next_chunk(self, job_id: str) -> Document | None:
        return await self.chunks.find_one(
            {"job_id": job_id, "done": False}, sort=[("index", ASCENDING)]
        )

    async def failed_attempt(self, chunk_id: str) -> int:
        chunk = await self.chunks.find_one_and_update(
            {"_id": chunk_id},
            {"$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER,
        )
        return int(chunk["attempts"]) if chunk else 0

    async def finish_chunk(self, chunk_id: str, outcomes: Sequence[RowOutcome]) -> None:
        """Results replace the rows: names and e-mail addresses are kept only while
        their chunk waits to be imported (see docs/privacy.md)."""
        counts = {kind: sum(1 for o in outcomes if o.kind == kind) for kind in KINDS}
        await self.chunks.update_one(
            {"_id": chunk_id},
            {
                "$set": {
                    "done": True,
                    "rows": [],
                    "counts": counts,
                    "results": [asdict(o) for o in outcomes],
                }
            },
        )

    async def finish(self, job_id: str, error: str | None = None) -> None:
        await self.jobs.update_one(
            {"_id": job_id},
            {
                "$set": {
                    "status": "failed" if error else "done",
                    "error": error,
                    "finished_at": stamp(),
                }
            },
        )

    async def counts(self, job_id: str) -> dict[str, int]:
        totals: dict[str, int] = {kind: 0 for kind in KINDS}
        async for chunk in self.chunks.find({"job_id": job_id, "done": True}, {"counts": 1}):
            for kind in KINDS:
                totals[kind] += int(chunk["counts"][kind])
        return totals

    async def results(self, job_id: str, kind: str, offset: int, limit: int) -> list[Any]:
        """Row results of one kind, in row order, paged."""
        found: list[Any] = []
        cursor = self.chunks.find(
            {"job_id": job_id, "done": True}, {"results": 1}, sort=[("index", ASCENDING)]
        )
        async for chunk in cursor:
            found.extend(r["entry"] for r in chunk["results"] if r["kind"] == kind)
            if len(found) >= offset + limit:
                break
        return found[offset : offset + limit]
