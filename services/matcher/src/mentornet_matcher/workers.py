"""Background work: batch matching for programs that asked for it or whose schedule is
due; the timer that resumes paused matches at their `resume_by`.

Requests made while a run is going stay open, so the run after it sees them. A run
that fails (the database unreachable, say) gives its lease back and is retried after
a pause; the request stays open, so nothing asked for is lost.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime

import structlog
from mentornet_chassis.messaging.timers import DueScanner, DueTask, firing
from mentornet_chassis.process.workers import pause

from .domain import experiments, pauses
from .domain.documents import BatchRun
from .domain.placement import run_record
from .store import BatchRuns, MatcherStores
from .usecases.matchmaker import Matchmaker
from .usecases.proposals import SERVICE

log = structlog.get_logger("mentornet.matcher.batch")

RETRY_PAUSE_S = 5.0


class BatchWorker:
    def __init__(self, runs: BatchRuns, matchmaker: Matchmaker, poll_s: float) -> None:
        self.runs = runs
        self.matchmaker = matchmaker
        self.poll_s = poll_s
        self.worker = f"batch-{uuid.uuid4().hex[:8]}"
        self.wake = asyncio.Event()

    async def run(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            claimed = await self.runs.claim(self.worker)
            if claimed is None:
                await pause(stopping, self.wake, self.poll_s)
                continue
            if not await self.run_one(claimed):
                await pause(stopping, asyncio.Event(), RETRY_PAUSE_S)

    async def run_one(self, claimed: BatchRun) -> bool:
        program_id = claimed["_id"]
        run_id = f"batch-{program_id}-{claimed.get('requested', 0)}-{claimed.get('done', 0)}"
        bound = log.bind(program_id=program_id, run_id=run_id, correlation_id=run_id)
        try:
            placement = await self.matchmaker.run_batch(
                program_id, run_id, renew=lambda: self.runs.renew(claimed)
            )
        except Exception as exc:
            bound.error("batch run failed; will retry", exc_info=exc)
            await self.runs.give_up(claimed)
            return False
        record = run_record(placement, run_id, claimed)
        await self.runs.finish(claimed, record)
        bound.info(
            "batch run done",
            proposed=record["proposed"],
            waitlisted=record["waitlisted"],
            optimality_gap=record["optimality_gap"],
        )
        return True


def pause_timers(
    stores: MatcherStores,
    clock: Callable[[], datetime],
    poll_s: float,
    wake_relay: Callable[[], None],
) -> DueScanner:
    """Resumes each paused match at its `resume_by` (by=schedule), in the match's
    conditional write, so replicas scanning at once resume it once; stops each
    experiment's assignment at its time limit (max_weeks) the same way."""
    due = firing(stores.match_states, pauses.due, SERVICE)
    limit = firing(stores.experiment_states, experiments.due, SERVICE)
    tasks = [DueTask(stores.matches, due), DueTask(stores.experiments, limit)]
    return DueScanner(tasks, clock, poll_s, wake_relay)
