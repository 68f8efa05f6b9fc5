"""Import jobs on the real stack: progress, paged results, idempotency, takeover."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from mentornet_chassis.http.auth import Principal, Role
from mentornet_contracts.catalogue import PARTICIPANTS, PROGRAMS
from mentornet_intake.domain.bulk import read_rows
from mentornet_intake.store.import_jobs import ImportJobs
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.kafka import Record, all_records, find_records, kind_of
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService
from pymongo import AsyncMongoClient

from tests.support.helpers import open_program, token
from tests.support.rows import csv_file

pytestmark = pytest.mark.integration


async def follow(intake: RunningService, job_id: str, headers: dict[str, str]) -> list[Any]:
    """Every progress answer until the job finishes."""
    seen: list[Any] = []

    async def finished() -> bool:
        answer = (await intake.http.get(f"/import-jobs/{job_id}", headers=headers)).json()
        seen.append(answer)
        return answer["status"] in ("done", "failed")

    await eventually(finished, timeout=240, interval=0.2, what=f"import job {job_id}")
    return seen


async def rejected_rows(intake: RunningService, job_id: str, headers: dict[str, str]) -> list[Any]:
    rows: list[Any] = []
    for offset in (0, 30, 60):
        page = await intake.http.get(
            f"/import-jobs/{job_id}/rows",
            params={"outcome": "rejected", "offset": offset, "limit": 30},
            headers=headers,
        )
        rows.extend(page.json()["rows"])
    return rows


async def test_a_job_reports_progress_then_every_row_and_a_second_run_adds_nothing(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    content, bad_rows = csv_file(unique)
    headers = {**coordinator, "Content-Type": "text/csv"}
    started = await intake.http.post(
        f"/programs/{program_id}/import-jobs/mentee", content=content, headers=headers
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["job_id"]
    assert started.headers["Location"] == f"/import-jobs/{job_id}"

    seen = await follow(intake, job_id, coordinator)
    percents = [answer["percent"] for answer in seen]
    assert percents == sorted(percents)
    assert any(0 < p < 100 for p in percents), percents
    final = seen[-1]
    assert (final["status"], final["processed"], final["percent"]) == ("done", 1000, 100.0)
    assert (final["registered"], final["skipped"], final["rejected"]) == (950, 0, 50)
    rejected = await rejected_rows(intake, job_id, coordinator)
    assert {r["row"]: r["errors"][0]["field"].split(".")[0] for r in rejected} == bad_rows
    client: AsyncMongoClient[Any] = AsyncMongoClient(stack.mongo_uri)
    try:
        chunks = [c async for c in ImportJobs(client[intake.database]).chunks.find({})]
    finally:
        await client.close()
    assert len(chunks) == 10
    assert "example.org" not in repr(chunks)
    assert "Person " not in repr(chunks)

    again = await intake.http.post(
        f"/programs/{program_id}/import-jobs/mentee", content=content, headers=headers
    )
    second = again.json()["job_id"]
    final = (await follow(intake, second, coordinator))[-1]
    assert (final["registered"], final["skipped"], final["rejected"]) == (0, 950, 50)
    await announced_once(stack, program_id, job_id, (950, 0, 50))
    await announced_once(stack, program_id, second, (0, 950, 50))
    registrations = await all_records(
        stack.bootstrap_servers,
        PARTICIPANTS.name,
        lambda r: kind_of(r) == "mentee.registered" and program_id.encode() in r.value,
    )
    assert [json.loads(r.value)["import_id"] for r in registrations] == [job_id] * 950


async def announced_once(
    stack: Endpoints, program_id: str, import_id: str, counts: tuple[int, int, int]
) -> None:
    """import.finished for the import is on the programs topic, once, with its counts."""

    def of_import(record: Record) -> bool:
        body = json.loads(record.value)
        return kind_of(record) == "import.finished" and body["import_id"] == import_id

    await find_records(stack.bootstrap_servers, PROGRAMS.name, of_import, timeout=30)
    found = await all_records(stack.bootstrap_servers, PROGRAMS.name, of_import)
    assert len(found) == 1
    body = json.loads(found[0].value)
    assert (body["program_id"], body["status"], body["role"], body["rows"]) == (
        program_id,
        "done",
        "mentee",
        1000,
    )
    assert (body["registered"], body["skipped"], body["rejected"]) == counts


async def test_a_job_left_by_a_dead_worker_is_taken_over(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    content, _ = csv_file(unique, count=250)
    owner = Principal(f"c-{unique}", frozenset({Role.COORDINATOR}))
    client: AsyncMongoClient[Any] = AsyncMongoClient(stack.mongo_uri)
    try:
        jobs = ImportJobs(client[intake.database])
        job = await jobs.create(program_id, "mentee", owner, read_rows(content, "text/csv"))
        await jobs.jobs.update_one(
            {"_id": job["_id"]},
            {"$set": {"status": "running", "worker": "dead", "lease_until": time.time() + 1}},
        )
    finally:
        await client.close()
    final = (await follow(intake, job["_id"], coordinator))[-1]
    assert (final["status"], final["registered"], final["rejected"]) == ("done", 238, 12)


async def test_refusals_name_the_field(intake: RunningService, unique: str) -> None:
    program_id, coordinator = await open_program(intake, unique)
    url = f"/programs/{program_id}/import-jobs/mentee"
    binary = await intake.http.post(
        url, content=b"\xff\xfe\x00bad", headers={**coordinator, "Content-Type": "text/csv"}
    )
    assert binary.status_code == 422
    assert (binary.json()["field"], binary.json()["reason"][:14]) == ("body", "not UTF-8 text")
    missing = await intake.http.get("/import-jobs/imp-nope", headers=coordinator)
    assert missing.status_code == 404
    content, _ = csv_file(unique, count=3)
    started = await intake.http.post(
        url, content=content, headers={**coordinator, "Content-Type": "text/csv"}
    )
    stranger = token(f"other-{unique}", "coordinator")
    peek = await intake.http.get(f"/import-jobs/{started.json()['job_id']}", headers=stranger)
    assert peek.status_code == 403
    mentee = token(f"m-{unique}", "mentee")
    assert (await intake.http.post(url, content=content, headers=mentee)).status_code == 403
