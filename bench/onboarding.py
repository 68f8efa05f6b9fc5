"""Onboarding an organisation: `mentornet intake import`'s job API with 1k to 50k rows.

Real intake and matcher processes (`mentornet-service serve`, as `mentornet dev up` starts
them) on the embedded stack. Per size: mentors (one per five mentees) then mentees, each
file one import job; timed from the POST to the job's `done`, to the moment the last
registration's event left the outbox, and to the moment the matcher's batch run had given
every mentee a proposal or a waitlist reason. Baseline in the same run, on the same servers:
the same participant documents inserted with insert_many in chunks of the job's size,
and the same records produced (acks=all) to a scratch topic, by a bare loop."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from mentornet_chassis.http.auth import DEV_KEY, mint
from mentornet_tooling import embedded
from mentornet_tooling.devstack import service_argv
from mentornet_tooling.testing.backends import Endpoints, embedded_stack
from mentornet_tooling.testing.poll import eventually
from pymongo import AsyncMongoClient

from .pipeline_costs import busy_share, cpu_seconds, machine_ticks, spent
from .pipeline_matchers import _stop

DATABASE = "bench_onboarding"
CHUNK = 100
COLUMNS = [
    "display_name",
    "email",
    "languages",
    "formats",
    "timezone",
    "weekly",
    "consent_version",
    "consent_accepted_at",
    "urgency",
    "skills",
    "capacity",
]
PROGRAM = {
    "name": "Organisation onboarding",
    "tier": "standard",
    "duration_weeks": 12,
    "cadence": {"sessions_per_month": 2, "session_minutes": 45},
}
Doc = dict[str, Any]


@dataclass(frozen=True)
class Onboarded:
    mentees: int
    rows: int
    answered_s: float
    published_s: float
    placed_s: float
    baseline_s: float
    cpu: dict[str, float]
    busy: float

    @property
    def ratio(self) -> float:
        return self.baseline_s / self.answered_s


def people_csv(role: str, count: int, tag: str) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for n in range(1, count + 1):
        writer.writerow(
            {
                "display_name": f"{role.title()} {n}",
                "email": f"{role}{n}-{tag}@example.org",
                "languages": "en",
                "formats": "video",
                "timezone": ("Europe/Berlin", "America/New_York", "Asia/Kolkata")[n % 3],
                "weekly": "tue 09:00-11:00;thu 15:00-17:00",
                "consent_version": "2026-10",
                "consent_accepted_at": "2026-11-01T09:00:00Z",
                "urgency": str(1 + n % 5) if role == "mentee" else "",
                "skills": "python:4;go:3" if role == "mentor" else "",
                "capacity": "3" if role == "mentor" else "",
            }
        )
    return out.getvalue().encode()


async def _job(http: httpx.AsyncClient, program_id: str, role: str, content: bytes) -> None:
    started = await http.post(
        f"/programs/{program_id}/import-jobs/{role}",
        content=content,
        headers={"Content-Type": "text/csv"},
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["job_id"]

    async def done() -> dict[str, object] | None:
        job: dict[str, object] = (await http.get(f"/import-jobs/{job_id}")).json()
        return job if job["status"] in ("done", "failed") else None

    job = await eventually(done, timeout=3600, interval=0.25, what=f"import job {job_id}")
    assert job["status"] == "done", job
    assert job["rejected"] == 0, job


async def _unsent(mongo: AsyncMongoClient[Doc]) -> bool:
    """Whether a participant still has an event to publish (the `pending` index alone:
    a count would scan the collection in the embedded store)."""
    return await mongo[DATABASE]["participants"].find_one({"pending": True}, {"_id": 1}) is not None


async def _baseline(stack: Endpoints, mongo: AsyncMongoClient[Doc], tag: str) -> float:
    """The same documents and records, written and produced by a bare loop."""
    docs = [
        d async for d in mongo[DATABASE]["participants"].find({"state.email_key": {"$regex": tag}})
    ]
    scratch = mongo[f"{DATABASE}_baseline"][f"participants_{tag}"]
    records = [
        (d["_id"], [(e["topic"], e["value"], e["headers"]) for e in d.get("outbox") or []])
        for d in docs
    ]
    producer = AIOKafkaProducer(
        bootstrap_servers=stack.bootstrap_servers, acks="all", enable_idempotence=False
    )
    await producer.start()
    try:
        started = time.perf_counter()
        for start in range(0, len(docs), CHUNK):
            await scratch.insert_many([dict(d, outbox=[]) for d in docs[start : start + CHUNK]])
            sends = [
                await producer.send(
                    f"bench.onboarding.{tag}",
                    value=str(value).encode(),
                    key=str(key).encode(),
                    headers=[(n, str(v).encode()) for n, v in headers],
                )
                for key, entries in records[start : start + CHUNK]
                for _, value, headers in entries
            ]
            await asyncio.gather(*sends)
        return time.perf_counter() - started
    finally:
        await producer.stop()


async def onboard(stack: Endpoints, mentees: int, url: str, matcher_url: str) -> Onboarded:
    tag = f"n{mentees}"
    mentors = max(1, mentees // 5)
    coordinator = {"Authorization": f"Bearer {mint(DEV_KEY, 'bench-coordinator', ['coordinator'])}"}
    mongo: AsyncMongoClient[Doc] = AsyncMongoClient(stack.mongo_uri)
    async with httpx.AsyncClient(base_url=url, headers=coordinator, timeout=60) as http:
        program_id = (await http.post("/programs", json=PROGRAM)).json()["program_id"]
        await http.post(f"/programs/{program_id}/publish")
        team = mint(DEV_KEY, "bench-coordinator", ["coordinator"], programs=[program_id])
        cpu, ticks = cpu_seconds(), machine_ticks()
        started = time.perf_counter()
        await _job(http, program_id, "mentor", people_csv("mentor", mentors, tag))
        await _job(http, program_id, "mentee", people_csv("mentee", mentees, tag))
        answered = time.perf_counter() - started

        async def sent() -> bool:
            return not await _unsent(mongo)

        await eventually(sent, timeout=3600, interval=0.25, what="every event published")
        published = time.perf_counter() - started
        await _placed(matcher_url, program_id, mentees, team)
        placed = time.perf_counter() - started
        used, busy = spent(cpu, cpu_seconds()), busy_share(ticks, machine_ticks())
    try:
        baseline = await _baseline(stack, mongo, tag)
    finally:
        await mongo.close()
    return Onboarded(mentees, mentees + mentors, answered, published, placed, baseline, used, busy)


async def _placed(url: str, program_id: str, mentees: int, token: str) -> None:
    """Until the matcher's last batch run gave each mentee a proposal or a waitlist reason."""
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as http:

        async def placed() -> bool:
            try:
                answer = await http.get(f"/programs/{program_id}/matching-runs/latest")
            except httpx.TimeoutException:
                return False
            last = answer.json().get("last") or {}
            return int(last.get("proposed", 0)) + int(last.get("waitlisted", 0)) == mentees

        await eventually(placed, timeout=3600, interval=0.5, what="the pool placed")


SERVICES = ("intake", "matcher")


def _env(stack: Endpoints, service: str, port: int) -> dict[str, str]:
    prefix = f"MENTORNET_{service.upper()}"
    return {
        "KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers,
        "KAFKA_SESSION_TIMEOUT_MS": str(embedded.TANSU_SESSION_TIMEOUT_MS),
        "MONGODB_URI": stack.mongo_uri,
        "MONGODB_DATABASE": DATABASE if service == "intake" else f"{DATABASE}_{service}",
        f"{prefix}_HTTP_PORT": str(port),
        f"{prefix}_LOG_LEVEL": "WARNING",
    }


def run(sizes: list[int]) -> list[Onboarded]:
    """Each size on one embedded stack, one intake and one matcher process, smallest
    first."""
    with tempfile.TemporaryDirectory() as work, embedded_stack(Path(work)) as stack:
        ports = {service: embedded.free_port() for service in SERVICES}
        spawned = []
        for service in SERVICES:
            argv = service_argv(service)
            if os.environ.get("BENCH_PROFILE"):
                out = f"{os.environ['BENCH_PROFILE']}.{service}"
                argv = [argv[0], "-m", "cProfile", "-o", out, *argv[1:]]
            env = _env(stack, service, ports[service])
            spawned.append(embedded.spawn(service, argv, Path(work) / f"{service}.log", env))
        try:
            urls = {service: f"http://127.0.0.1:{port}" for service, port in ports.items()}
            return asyncio.run(_sizes(stack, urls, sizes))
        finally:
            for process in spawned:
                _stop(process.pid)


async def _sizes(stack: Endpoints, urls: dict[str, str], sizes: list[int]) -> list[Onboarded]:
    async with httpx.AsyncClient() as http:
        for service, url in urls.items():

            async def ready(url: str = url) -> bool:
                try:
                    return (await http.get(f"{url}/readyz")).status_code == 200
                except httpx.HTTPError:
                    return False

            await eventually(ready, timeout=90, interval=0.25, what=f"{service} ready")
    return [await onboard(stack, size, urls["intake"], urls["matcher"]) for size in sizes]


SIZES = (1_000, 10_000, 50_000)
"""Mentees per row; mentors are one in five of them on top."""
ANSWERED_GOAL_S = {10_000: 60.0, 50_000: 300.0}
PLACED_GOAL_S = {10_000: 180.0, 50_000: 900.0}
RATIO_GOAL = 0.3
FLAT_GOAL = 1.5


def _verdict(met: bool) -> str:
    return "meets goal" if met else "BELOW GOAL"


def _goal(limits: dict[int, float], mentees: int, took: float) -> tuple[str, str]:
    limit = limits.get(mentees)
    return ("—", "—") if limit is None else (f"< {limit:.0f} s", _verdict(took < limit))


def table(results: list[Onboarded]) -> str:
    lines = [
        "| mentees | people (with mentors) | answered (s) | goal | verdict | people/s "
        "| ms per person | events out (s) | placed (s) | goal | verdict | bare loop (s) "
        "| ratio | goal | verdict | CPU s: store / intake / matcher / broker / bench "
        "| machine busy |",
        "|---:|---:|---:|---|---|---:|---:|---:|---:|---|---|---:|---:|---|---|---|---:|",
    ]
    for r in results:
        cpu = " / ".join(
            f"{r.cpu.get(k, 0.0):.1f}" for k in ("store", "intake", "matcher", "broker", "bench")
        )
        answered = _goal(ANSWERED_GOAL_S, r.mentees, r.answered_s)
        placed = _goal(PLACED_GOAL_S, r.mentees, r.placed_s)
        lines.append(
            f"| {r.mentees:,} | {r.rows:,} | {r.answered_s:.1f} | {answered[0]} | {answered[1]} "
            f"| {r.rows / r.answered_s:,.0f} | {1000 * r.answered_s / r.rows:.2f} "
            f"| {r.published_s:.1f} | {r.placed_s:.1f} | {placed[0]} | {placed[1]} "
            f"| {r.baseline_s:.1f} | {r.ratio:.2f} | ≥ {RATIO_GOAL} "
            f"| {_verdict(r.ratio >= RATIO_GOAL)} | {cpu} | {r.busy:.0%} |"
        )
    return "\n".join(lines)


def flatness(results: list[Onboarded]) -> str:
    per_person = [r.answered_s / r.rows for r in results]
    spread = max(per_person) / min(per_person)
    return (
        f"Cost per person from the smallest to the largest row: {spread:.2f}x "
        f"(goal ≤ {FLAT_GOAL}x: {_verdict(spread <= FLAT_GOAL).lower()})."
    )


def onboarding_section(sizes: tuple[int, ...] = SIZES) -> str:
    results = run(list(sizes))
    return (
        "## Onboarding: an organisation imported through the job API\n\n"
        f"{__doc__.split(chr(10), 1)[1].strip()}\n\n"
        "Answered: from the first POST to the second job's `done` (every row registered, "
        "skipped or rejected). Events out: until no participant has an unsent event. "
        "Placed: until the matcher's last batch run accounts for every mentee (a proposal "
        "or a waitlist reason): the matcher holds an import's mentees until the import is "
        "complete, then places the pool with one certified-optimal run. The ratio is the "
        "bare loop's time over ours (answered). CPU seconds from /proc over the measured "
        "window (the baseline not included). The scheduler, feedback and QA are not "
        "running here: tests/integration/test_import_at_scale.py takes 5,000 rows through "
        "all five.\n\n"
        f"{table(results)}\n\n{flatness(results)}\n"
    )


if __name__ == "__main__":
    import sys

    sizes = [int(s) for s in sys.argv[1:]] or [1000]
    found = run(sizes)
    print(table(found))
    print(flatness(found))
