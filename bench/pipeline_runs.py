"""One measured run of the pipeline: registrations in, the first output per mentee out."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from mentornet_contracts.events.matches import MatchProposed, MenteeWaitlisted
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.poll import eventually

from .pipeline_costs import Commands, busy_share, cpu_seconds, machine_ticks, spent
from .pipeline_io import Outputs, Publisher, Traffic, traffic
from .pipeline_matchers import set_up

MATCHER_OUTPUTS = (MatchProposed.event_type, MenteeWaitlisted.event_type)


@dataclass(frozen=True)
class Measured:
    registrations: int
    per_s: float
    """Registrations over the time from the first send to the last output's timestamp."""
    p50_ms: float
    p99_ms: float
    offered_per_s: float | None = None
    """The publish rate of a paced run; None when everything was sent at once."""
    proposed: int = 0
    cpu_s: dict[str, float] = field(default_factory=dict)
    """CPU seconds per kind of process (bench, broker, store, matcher) during the run."""
    wall_s: float = 0.0
    commands: int = 0
    """MongoDB commands this process sent during the run (not those of other processes)."""
    machine_busy: float = 0.0
    """The share of the whole machine's CPU busy during the run, other work included."""


def new_tag() -> str:
    return f"b{uuid.uuid4().hex[:8]}"


async def measure(
    stack: Endpoints,
    run: Traffic,
    types: Iterable[str],
    per_s: float | None = None,
    timeout_s: float = 300,
) -> Measured:
    """Publish the run's mentees (all at once, or at `per_s`) and wait for one output
    of `types` per mentee; latency is each output's record timestamp minus its send time."""
    outputs = Outputs(stack.bootstrap_servers, [m.participant_id for m in run.mentees], types)
    await outputs.start()
    cpu_before, commands_before, ticks_before = cpu_seconds(), Commands.count, machine_ticks()
    async with Publisher(stack.bootstrap_servers) as publisher:
        started = time.time()
        sent = await publisher.publish(run.mentees, per_s)
    seen = await outputs.wait(timeout_s)
    wall_s = max(seen.values()) - started
    cpu, machine = spent(cpu_before, cpu_seconds()), busy_share(ticks_before, machine_ticks())
    commands = Commands.count - commands_before
    latencies_ms = np.array([seen[key] - at for key, at in sent.items()]) * 1000
    return Measured(
        registrations=len(run.mentees),
        per_s=len(run.mentees) / wall_s,
        p50_ms=float(np.percentile(latencies_ms, 50)),
        p99_ms=float(np.percentile(latencies_ms, 99)),
        offered_per_s=per_s,
        proposed=outputs.kinds[MatchProposed.event_type],
        cpu_s=dict(cpu),
        wall_s=wall_s,
        commands=commands,
        machine_busy=machine,
    )


async def with_mentors(
    stack: Endpoints, database: str, mentees: int, mentors: int, timeout_s: float = 120
) -> Traffic:
    """A new program and its mentors, published and seen by the matcher (and the batch
    run they asked for done), so that only the mentees are measured."""
    run = traffic(new_tag(), mentees, mentors)
    async with Publisher(stack.bootstrap_servers) as publisher:
        await publisher.publish([run.program, *run.mentors])
    await eventually(
        partial(set_up, stack.mongo_uri, database, run.program.program_id, mentors),
        timeout=timeout_s,
        interval=0.25,
        what=f"the matcher to know {run.program.program_id} and its {mentors} mentors",
    )
    return run
