"""The pipeline benchmark's section of docs/benchmarks.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mentornet_contracts.catalogue import PARTICIPANTS

from .pipeline_runs import Measured

if TYPE_CHECKING:
    from .pipeline import PipelineResults

SAME_WRITES_GOAL = 0.70
"""The pipeline at least 70% of a bare loop doing the same writes (the backbone issue)."""
ONE_WRITE_GOAL = 0.50
"""The pipeline at least half of a bare loop doing one write (the organisation-scale
issue)."""


def _latency(run: Measured) -> str:
    return f"{run.p50_ms:,.0f} / {run.p99_ms:,.0f}"


def _per_registration(run: Measured) -> str:
    return f"{run.commands / run.registrations:.1f}"


def _busy(run: Measured, cores: int) -> float:
    """The share of the machine's CPU the stack and the benchmark used during the run."""
    return sum(run.cpu_s.values()) / run.wall_s / cores


def _per_kind(run: Measured) -> str:
    """CPU ms per registration in the store, the matcher(s), the broker and this process."""
    kinds = ("store", "matcher", "broker", "bench")
    return " / ".join(f"{run.cpu_s.get(k, 0.0) * 1000 / run.registrations:.1f}" for k in kinds)


def _row(what: str, r: PipelineResults, base: Measured, base_paced: Measured, goal: float) -> str:
    ratio = r.ours.per_s / base.per_s
    verdict = "meets goal" if ratio >= goal else "BELOW GOAL"
    return (
        f"| registrations to proposals | {r.ours.registrations:,} | {r.ours.per_s:,.1f} | "
        f"{_latency(r.ours_paced)} | {_per_registration(r.ours)} vs "
        f"{_per_registration(base)} | {what} | {base.per_s:,.1f} | "
        f"{_latency(base_paced)} | {ratio:.2f} | ≥ {goal:.2f} | {verdict} |"
    )


def section(r: PipelineResults) -> str:
    rate = r.ours_paced.offered_per_s or 0.0
    lines = [
        "## Pipeline: registrations to proposals",
        "",
        f"{r.ours.registrations:,} `mentee.registered` events published at once on the "
        f"participants topic (after the program and {r.mentors:,} mentors, untimed: the "
        "matcher has seen them and finished the batch run they asked for), a real matcher "
        "service on the embedded stack (Tansu, nx-27017) in this process, started as the "
        "tests start it. Throughput: registrations over the time from the first send to "
        "the record timestamp (set by the service's producer) of the last mentee's first "
        "`match.proposed` or `mentee.waitlisted`. Latency: that timestamp minus the "
        f"registration's send time, for {r.ours_paced.registrations:,} registrations paced "
        f"at {rate:.1f}/s (half the throughput; a burst's latencies only measure its "
        "queue). Two baselines in the same run, on the same broker and store: bare aiokafka "
        "consumer + PyMongo `AsyncMongoClient` loops (bench/pipeline_bare.py) handling one "
        "record at a time. **Same writes** writes the documents the matcher writes for a "
        "mentee it proposes a mentor to (candidate with inbox id, waitlist claim, mentor "
        "load, match with outbox entry, waitlist placed, outbox emptied after the send), "
        "without the reads that decide them, produces the proposal (acks=all) and commits "
        "the offset: the issue's baseline. **One write** is the least any consumer could "
        "do: one upsert holding state, inbox id and outbox entry, one produce, one commit. "
        "All run in this process, each on a new database and consumer group; best of "
        f"{r.rounds} rounds. Logging at WARNING everywhere. The machine's load average when "
        f"the run started: {r.load:.1f} on {r.cores} cores.",
        "",
        "| benchmark | registrations | ours (events/s) | ours p50 / p99 (ms) | "
        "MongoDB commands per registration | baseline | baseline (events/s) | "
        "baseline p50 / p99 (ms) | ratio | goal | verdict |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|",
        _row("bare loop, same writes", r, r.same, r.same_paced, SAME_WRITES_GOAL),
        _row("bare loop, one write", r, r.bare, r.bare_paced, ONE_WRITE_GOAL),
        "",
        f"{r.ours.proposed:,} of the {r.ours.registrations:,} mentees were proposed a mentor, "
        "the rest waitlisted. The ratio prices the whole service, not the chassis alone: "
        "per registration the matcher decodes and validates the CloudEvent, checks the "
        "parking lot (one read per batch of records), inserts the candidate (state and "
        "inbox; a registration is usually new, so it is inserted without a read, and read "
        "only if the insert finds it there), reads the mentee's matches (placed already? "
        "failed pairs? a proposal made already?), scores the mentee against every mentor "
        "of the program and ranks them by score minus price, claims the mentee (a new "
        "waitlist aggregate, inserted the same way), holds the mentor's place (load "
        "aggregate, written on its version), inserts the match with its outbox "
        "entry and marks the mentee placed (read, then written on its version); the relay "
        "reads the aggregates this process gave outbox entries, publishes with acks=all "
        "and rewrites each one with its outbox emptied. What a newcomer needs of the "
        "program (rules, batch-run record, prepared mentors, every mentor's load) is read "
        "once per `MENTORNET_MATCHER_NEWCOMER_VIEW_MS` (500 ms) and follows the process's "
        "own writes, so the hold is tried on the load as last written and read only if "
        "another process changed it. "
        "The service takes records in batches of up to 500 and handles the partitions side "
        "by side; within a partition, a run of registrations under distinct keys is handled "
        "at once (chassis messaging/lanes.py): the candidates are inserted with one "
        "command, the identity book read and written with one each, and the mentees are "
        "then placed 6 at a time per program. The bare loops handle one record at a time.",
        "",
        "### Scaling: matcher processes in one consumer group",
        "",
        f"The same {r.ours.registrations:,} registrations (a new program and database per "
        "row) through `mentornet serve matcher` processes started as `mentornet dev up` "
        "starts them, sharing one consumer group (the participants topic has "
        f"{PARTICIPANTS.partitions} partitions). "
        "CPU is read from /proc over the measured window: the share of the machine's "
        f"{r.cores} cores busy with this benchmark's processes and with anything, and CPU "
        "ms per registration in the store, the matcher "
        "processes together, the broker and this process (publisher and reader); the "
        "ceiling is the rate at which all cores would be busy with that work.",
        "",
        "| matcher processes | registrations | events/s | vs 1 process | proposed | "
        f"CPU busy, this benchmark / whole machine ({r.cores} cores) | CPU ms per "
        f"registration: store / matcher / broker / bench | CPU ceiling on {r.cores} cores "
        "(events/s) |",
        "|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    one = r.scaling[0][1].per_s
    for count, run in r.scaling:
        lines.append(
            f"| {count} | {run.registrations:,} | {run.per_s:,.1f} | {run.per_s / one:.2f}x | "
            f"{run.proposed:,} | {_busy(run, r.cores):.0%} / {run.machine_busy:.0%} | "
            f"{_per_kind(run)} | "
            f"{_ceiling(run, r.cores):,.0f} |"
        )
    lines += ["", _scaling_note(r)]
    return "\n".join(lines) + "\n"


def _ceiling(run: Measured, cores: int) -> float:
    """Registrations a second the machine could carry if every core did only this run's
    work: cores over CPU seconds per registration (all processes together)."""
    return cores * run.registrations / sum(run.cpu_s.values())


def _cpu_ms(run: Measured) -> float:
    return sum(run.cpu_s.values()) * 1000 / run.registrations


def _scaling_note(r: PipelineResults) -> str:
    """What bounded the processes, in this run's figures."""
    one = r.scaling[0][1]
    speedups = ", ".join(f"{n}: {run.per_s / one.per_s:.2f}x" for n, run in r.scaling[1:])
    count, last = r.scaling[-1]
    gained = max(run.per_s for _, run in r.scaling) / one.per_s >= 1.5
    clients = max(r.store_per_s)
    return (
        f"Against one process: {speedups}. Each process already overlaps the partitions "
        "it holds, so more processes can only add CPU; "
        + ("here they did, up to the CPU. " if gained else "here they gained little. ")
        + f"The {r.cores} cores are shared by the broker, the store, every matcher process "
        "and this one, so scaling past 2 processes is bounded by CPU: with "
        f"{count} processes the whole machine was {last.machine_busy:.0%} busy (other work "
        f"included), and the stack needs {_cpu_ms(last):.0f} ms of CPU per registration, a "
        f"ceiling of about {_ceiling(last, r.cores):.0f} registrations/s. CPU per "
        f"registration went from {_cpu_ms(one):.0f} ms with 1 process to "
        f"{_cpu_ms(last):.0f} ms with {count}. The one store all processes "
        f"share serves {clients} concurrent clients "
        f"{r.store_per_s[clients] / r.store_per_s[1]:.1f}x as fast as one (reads by id in "
        f"the same run: {r.store_per_s[1]:,.0f}/s and {r.store_per_s[clients]:,.0f}/s). "
        "These rows move more from run to run than the others: near the CPU ceiling, any "
        "other work on the machine shows in them."
    )
