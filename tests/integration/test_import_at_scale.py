"""An organisation's onboarding through intake's import job API, counted in every service
the registrations reach: mentors and four times as many mentees, on the real broker and
store, with intake, the matcher, the scheduler, feedback and QA each running.

Nothing lost: every row is registered, and every service holds each person it should.
Nothing twice: each read model's document for a person was written once (version 1), no
mentee has two open matches, and none is both placed and waitlisted.

One batch run places the pool: the matcher holds an import's mentees until the import
is complete (import.finished, and every registration it made handled), then its last run
accounts for every mentee, certified optimal.

5,000 rows, as issue 23 asks, into a program whose proposals go straight to the mentor
(each holds the mentor's place: the bulk path's holds are exercised). All five services
share this process, so a request waits while the others handle the burst: the test asks
the small "latest run" view until the pool is placed, then reads the whole board once,
with a long timeout."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService
from pymongo import AsyncMongoClient

from bench.onboarding import people_csv
from tests.support.helpers import open_program, token
from tests.support.pipeline import pipeline

pytestmark = pytest.mark.integration

MENTORS, MENTEES = 1000, 4000
"""Mentors of capacity 3 (bench/onboarding.py's rows), so some mentees wait."""
OPEN = ("proposed", "in_review", "confirmed")
"""One of these per placed mentee, or (a shortlist program) options to pick from."""
Doc = dict[str, Any]


@pytest.fixture
async def services(stack: Endpoints) -> AsyncIterator[dict[str, RunningService]]:
    async with pipeline(stack) as started:
        yield started


async def imported(
    intake: RunningService, program_id: str, role: str, content: bytes, by: dict[str, str]
) -> Doc:
    """The import job's last answer, once it is done."""
    headers = {**by, "Content-Type": "text/csv"}
    started = await intake.http.post(
        f"/programs/{program_id}/import-jobs/{role}", content=content, headers=headers
    )
    assert started.status_code == 202, started.text
    path = f"/import-jobs/{started.json()['job_id']}"

    async def finished() -> Doc | None:
        job: Doc = (await intake.http.get(path, headers=by)).json()
        return job if job["status"] in ("done", "failed") else None

    return await eventually(finished, timeout=300, interval=0.5, what=f"the {role} import")


async def versions(client: AsyncMongoClient[Doc], database: str, collection: str) -> Counter[int]:
    """How many documents of the collection are at each version."""
    found = client[database][collection].find({}, {"version": 1})
    return Counter([int(doc["version"]) async for doc in found])


@pytest.mark.timeout(420)
async def test_an_imported_pool_reaches_every_service_once_each(
    stack: Endpoints, services: dict[str, RunningService], unique: str
) -> None:
    intake, matcher, qa = services["intake"], services["matcher"], services["qa"]
    program_id, creator = await open_program(intake, unique, approval_mode="auto")
    coordinator = token(f"c-{unique}", "coordinator", programs=[program_id])
    rows = {
        "mentor": people_csv("mentor", MENTORS, unique),
        "mentee": people_csv("mentee", MENTEES, unique),
    }
    mentors = await imported(intake, program_id, "mentor", rows["mentor"], creator)
    mentees = await imported(intake, program_id, "mentee", rows["mentee"], creator)
    for job, count in ((mentors, MENTORS), (mentees, MENTEES)):
        assert (job["status"], job["registered"], job["rejected"]) == ("done", count, 0), job

    async def one_run_placed_the_pool() -> Doc | None:
        latest: Doc = (
            await matcher.http.get(
                f"/programs/{program_id}/matching-runs/latest", headers=coordinator
            )
        ).json()
        run = latest["last"] or {}
        return run if run.get("proposed", 0) + run.get("waitlisted", 0) == MENTEES else None

    run = await eventually(
        one_run_placed_the_pool, timeout=600, interval=2, what="one batch run placing the pool"
    )
    assert run["optimality_gap"] <= 1e-6 * max(1.0, run["total_score"]), run
    board: Doc = (
        await matcher.http.get(f"/programs/{program_id}/matches", headers=coordinator, timeout=120)
    ).json()
    offered, shortlists = Counter[str](), dict[str, list[str]]()
    for match in board["matches"]:
        if match["status"] == "shortlisted":
            shortlists.setdefault(match["mentee_id"], []).append(match["mentor_id"])
        elif match["status"] in OPEN:
            offered[match["mentee_id"]] += 1
    waiting = Counter(w["mentee_id"] for w in board["waitlisted"])
    assert max(offered.values(), default=1) == 1, offered.most_common(3)
    assert max(waiting.values(), default=1) == 1, waiting.most_common(3)
    assert all(len(set(options)) == len(options) for options in shortlists.values())
    placed = set(offered) | set(shortlists)
    assert not set(offered) & set(shortlists)
    assert not placed & set(waiting)
    assert len(placed) + len(waiting) == MENTEES
    assert (run["proposed"], run["waitlisted"]) == (len(placed), len(waiting)), run

    async def qa_counts_everyone() -> Doc | None:
        health: Doc = (
            await qa.http.get(f"/programs/{program_id}/health", headers=coordinator, timeout=60)
        ).json()
        matching = health["matching"]
        counted = (matching["mentees"], health["utilisation"]["mentors"], matching["waitlisted"])
        return health if counted == (MENTEES, MENTORS, len(waiting)) else None

    await eventually(qa_counts_everyone, timeout=300, interval=2, what="QA's counts")

    client: AsyncMongoClient[Doc] = AsyncMongoClient(stack.mongo_uri)
    try:

        async def read_models_hold_everyone() -> bool:
            calendars = await versions(client, services["scheduler"].database, "calendars")
            people = await versions(client, services["feedback"].database, "people")
            return calendars.total() == MENTORS + MENTEES and people.total() == MENTEES

        await eventually(read_models_hold_everyone, timeout=300, interval=2, what="read models")
        assert await versions(client, services["scheduler"].database, "calendars") == {
            1: MENTORS + MENTEES
        }
        assert await versions(client, services["feedback"].database, "people") == {1: MENTEES}
        candidates = await versions(client, services["matcher"].database, "candidates")
        assert candidates.total() == MENTORS + MENTEES
    finally:
        await client.close()
