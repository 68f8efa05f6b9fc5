"""Pipeline benchmark: mentee registrations on the participants topic to match proposals
(or waitlist entries) on the matches topic, through a real matcher on the embedded
stack, against a bare aiokafka + PyMongo loop in the same run; then 1, 2 and 3 matcher
processes in one consumer group."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from mentornet_tooling.testing.backends import Endpoints, embedded_stack
from pymongo import AsyncMongoClient

from .pipeline_bare import OUTPUT_TYPE, Writes, bare_loop, one_write, same_writes
from .pipeline_costs import Commands, store_rate
from .pipeline_io import traffic
from .pipeline_matchers import in_process, processes
from .pipeline_report import section
from .pipeline_runs import MATCHER_OUTPUTS, Measured, measure, new_tag, with_mentors

REGISTRATIONS = 400
MENTORS = 150
"""Up to 8 mentees each, 4.5 on average: room for everyone (a few are waitlisted for want
of a fit). Sized so that this benchmark takes about 4 minutes on 2 cores."""
PACED = 100
ROUNDS = 2
INSTANCES = (1, 2, 3)
STORE_CLIENTS = 8

Start = Callable[[str, str], AbstractAsyncContextManager[None]]


@dataclass(frozen=True)
class PipelineResults:
    ours: Measured
    ours_paced: Measured
    bare: Measured
    bare_paced: Measured
    same: Measured
    """The bare loop doing the matcher's writes (pipeline_bare.same_writes)."""
    same_paced: Measured
    scaling: list[tuple[int, Measured]]
    cores: int
    store_per_s: dict[int, float]
    """Reads by id a second from 1 and from STORE_CLIENTS concurrent clients."""
    load: float
    """The machine's 1-minute load average when the run started."""
    mentors: int = MENTORS
    rounds: int = ROUNDS


@contextlib.asynccontextmanager
async def _fresh(stack: Endpoints, start: Start) -> AsyncIterator[str]:
    """Started matcher(s) on a new database and consumer group; the database is
    dropped afterwards."""
    tag = new_tag()
    database = f"bench_matcher_{tag}"
    try:
        async with start(database, f"bench-matcher-{tag}"):
            yield database
    finally:
        client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(stack.mongo_uri)
        await client.drop_database(database)
        await client.close()


def _progress(what: str, run: Measured) -> Measured:
    print(f"pipeline: {what}: {run.per_s:,.1f} registrations/s", file=sys.stderr, flush=True)
    return run


def _best(runs: list[Measured]) -> Measured:
    return max(runs, key=lambda r: r.per_s)


async def _ours(stack: Endpoints) -> tuple[Measured, Measured]:
    """Best of ROUNDS bursts, each on a freshly started matcher; the last round then
    also runs a paced batch at half the best rate."""
    bursts: list[Measured] = []
    start = partial(in_process, stack)
    for round_no in range(ROUNDS):
        async with _fresh(stack, start) as database:
            run = await with_mentors(stack, database, REGISTRATIONS, MENTORS)
            bursts.append(_progress("matcher", await measure(stack, run, MATCHER_OUTPUTS)))
            if round_no < ROUNDS - 1:
                continue
            run = await with_mentors(stack, database, PACED, MENTORS)
            paced = await measure(stack, run, MATCHER_OUTPUTS, per_s=_best(bursts).per_s / 2)
            return _best(bursts), paced
    raise AssertionError("ROUNDS must be at least 1")


async def _bare(stack: Endpoints, rate: float, writes: Writes) -> tuple[Measured, Measured]:
    tag = new_tag()
    group, database = f"bench-bare-{tag}", f"bare_{tag}"
    async with bare_loop(stack.bootstrap_servers, stack.mongo_uri, group, database, writes):
        bursts = [
            _progress(
                f"bare loop, {writes.__name__}",
                await measure(stack, traffic(new_tag(), REGISTRATIONS, 0), [OUTPUT_TYPE]),
            )
            for _ in range(ROUNDS)
        ]
        paced = await measure(stack, traffic(new_tag(), PACED, 0), [OUTPUT_TYPE], per_s=rate)
    return _best(bursts), paced


async def _scaling(stack: Endpoints, logs: Path) -> list[tuple[int, Measured]]:
    found = []
    for count in INSTANCES:
        start = partial(processes, stack, count, logs=logs)
        async with _fresh(stack, start) as database:
            run = await with_mentors(stack, database, REGISTRATIONS, MENTORS)
            measured = await measure(stack, run, MATCHER_OUTPUTS)
            found.append((count, _progress(f"{count} matcher processes", measured)))
    return found


async def run_all(stack: Endpoints, logs: Path) -> PipelineResults:
    load = os.getloadavg()[0]
    Commands.install()
    ours, ours_paced = await _ours(stack)
    rate = ours_paced.offered_per_s or ours.per_s / 2
    bare, bare_paced = await _bare(stack, rate, one_write)
    same, same_paced = await _bare(stack, rate, same_writes)
    scaling = await _scaling(stack, logs)
    store = {n: await store_rate(stack.mongo_uri, n) for n in (1, STORE_CLIENTS)}
    cores = os.cpu_count() or 1
    return PipelineResults(
        ours, ours_paced, bare, bare_paced, same, same_paced, scaling, cores, store, load
    )


def pipeline_section() -> str:
    """Runs on its own embedded stack: the other benchmarks' leftovers stay out of it."""
    with tempfile.TemporaryDirectory() as work, embedded_stack(Path(work)) as stack:
        return section(asyncio.run(run_all(stack, Path(work))))
