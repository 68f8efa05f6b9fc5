"""Batch matching runs per program: requests, leases and the last run's record.

One document per program. Handlers ask for a run (`request`) whenever the pool
changes in a way that can place someone new (a mentor joins, the rules change); many
requests in a burst (a bulk import of mentors) coalesce into one run. Any replica's
worker claims a program with a lease and records the run: totals, the LP bound and
gap, and the mentor prices (duals) that incremental placement uses until the next run.

`roster` counts changes to the program's mentors, so a replica can keep the parsed
mentors in memory and know when they went stale. Requests made side by side (a run of
registrations, chassis messaging/lanes.py) are added up and written with one `$inc`
per program: an import of 10,000 mentors wrote the program's document 10,000 times.

Lease times are epoch seconds, other times ISO 8601 strings (the embedded server turns
a datetime written with $set into a string; docs/embedded-stack.md).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import cast

from mentornet_chassis.store.coalesce import Coalesced
from mentornet_chassis.store.mongo import Document
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from ..domain.documents import BatchRun, RunRecord

RUNS = "batch_runs"
LEASE_S = 120.0

Request = tuple[str, bool, bool, int]
"""One request: the program, whether it asks for a run, whether the roster changed,
and a number of its own (so that equal requests made together are counted apart)."""


class BatchRuns:
    def __init__(self, db: AsyncDatabase[Document], schedule_s: float) -> None:
        self.runs = db[RUNS]
        self.schedule_s = schedule_s
        self._requests = 0
        self._requesting: Coalesced[Request, None] = Coalesced(
            self._request_together, self._request_one
        )

    async def request(
        self, program_id: str, *, roster_changed: bool = False, run: bool = True
    ) -> None:
        """Ask for a run; `roster_changed` also tells cached rosters they are stale
        (with `run` False, only that: a mentor of an import that asks for the run at
        its end)."""
        self._requests += 1
        await self._requesting((program_id, run, roster_changed, self._requests))

    async def _request_one(self, request: Request) -> None:
        await self._add(request[0], Counter(_increments(request)))

    async def _request_together(self, requests: Sequence[Request]) -> dict[Request, None]:
        by_program: dict[str, Counter[str]] = {}
        for request in requests:
            by_program.setdefault(request[0], Counter()).update(_increments(request))
        for program_id, increments in by_program.items():
            await self._add(program_id, increments)
        return dict.fromkeys(requests)

    async def _add(self, program_id: str, increments: Counter[str]) -> None:
        change: Document = {"$setOnInsert": {"done": 0, "lease_until": 0.0}}
        if +increments:
            change["$inc"] = dict(+increments)
        await self.runs.update_one({"_id": program_id}, change, upsert=True)

    async def get(self, program_id: str) -> BatchRun | None:
        return cast(BatchRun | None, await self.runs.find_one({"_id": program_id}))

    async def roster(self, program_id: str) -> int:
        doc = await self.runs.find_one({"_id": program_id}, {"roster": 1})
        return int((doc or {}).get("roster", 0))

    async def claim(self, worker: str) -> BatchRun | None:
        """A program whose last run is older than its latest request, or than the
        schedule, and that no live lease holds."""
        now = time.time()
        for doc in await self.runs.find({"lease_until": {"$lt": now}}).to_list(None):
            due = doc.get("requested", 0) > doc.get("done", 0) or (
                now - float(doc.get("finished_epoch", 0.0)) >= self.schedule_s
            )
            if not due:
                continue
            claimed = await self.runs.find_one_and_update(
                {"_id": doc["_id"], "lease_until": doc["lease_until"]},
                {"$set": {"lease_until": now + LEASE_S, "owner": worker}},
                return_document=ReturnDocument.AFTER,
            )
            if claimed is not None:
                return cast(BatchRun, claimed)
        return None

    async def finish(self, claimed: BatchRun, record: RunRecord | Mapping[str, object]) -> None:
        """Record the run (domain/placement.run_record) and mark the requests it saw as
        done; requests made while it ran stay open and cause another run."""
        await self.runs.update_one(
            {"_id": claimed["_id"], "owner": claimed["owner"]},
            {
                "$set": {
                    "done": claimed.get("requested", 0),
                    "lease_until": 0.0,
                    "finished_epoch": time.time(),
                    "last": {**record, "finished_at": datetime.now(UTC).isoformat()},
                }
            },
        )

    async def renew(self, claimed: BatchRun) -> None:
        """Hold the lease another LEASE_S: a long run (a pool of tens of thousands) calls
        this as it goes, so no other replica starts the same run meanwhile."""
        await self.runs.update_one(
            {"_id": claimed["_id"], "owner": claimed["owner"]},
            {"$set": {"lease_until": time.time() + LEASE_S}},
        )

    async def give_up(self, claimed: BatchRun) -> None:
        await self.runs.update_one(
            {"_id": claimed["_id"], "owner": claimed["owner"]}, {"$set": {"lease_until": 0.0}}
        )


def _increments(request: Request) -> dict[str, int]:
    _, run, roster_changed, _ = request
    return {"requested": int(run), "roster": int(roster_changed)}
