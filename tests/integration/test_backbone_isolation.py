"""No input stalls the event backbone, on the real broker and store.

- An oversized self-registration (the attack: 19,000 availability exceptions, just
  under 1 MB) is refused with a 422 naming the field and its limit; nothing is written.
- A request whose event would not fit the broker's records is refused before writing.
- An outbox record forced over the record limit is poisoned while 100 other people's
  registrations all reach Kafka; /healthz shows it while it lasts, and clears once an
  operator discards it with `mentornet outbox discard`.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mentornet_chassis.process.settings import KafkaSettings
from mentornet_chassis.store.aggregates import raw_entry
from mentornet_contracts.catalogue import PARTICIPANTS
from mentornet_intake.app import build as build_intake
from mentornet_intake.settings import IntakeSettings
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.examples import smart_goal
from mentornet_tooling.testing.kafka import all_records, kind_of
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService, running, service_settings

from tests.support.helpers import mentee_body, open_program, token

pytestmark = pytest.mark.integration

LEAVE = {"start_date": "2027-01-04", "end_date": "2027-01-05"}


async def participants(intake: RunningService, mongo: Any) -> int:
    return int(await mongo[intake.database]["participants"].count_documents({}))


async def test_an_oversized_self_registration_is_refused_and_nothing_is_written(
    intake: RunningService, mongo: Any, unique: str
) -> None:
    program_id, _ = await open_program(intake, unique)
    availability = {"timezone": "Europe/Berlin", "exceptions": [LEAVE] * 19_000}
    body = mentee_body(unique, program_id, availability=availability)
    before = await participants(intake, mongo)
    refused = await intake.http.post(
        "/participants/mentees", json=body, headers=token(f"m-{unique}", "mentee")
    )
    assert len(refused.request.content) > 900_000
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "body.availability.exceptions"
    assert "at most 100 items" in refused.json()["reason"]
    assert await participants(intake, mongo) == before
    health = (await intake.http.get("/healthz")).json()
    assert (health["status"], health["relay"]["pending"]) == ("ok", 0)


async def test_a_request_whose_event_would_not_fit_is_refused_before_writing(
    stack: Endpoints, mongo: Any, unique: str
) -> None:
    """With a broker that takes records of 64 KiB, a registration whose event is about
    70 KB (ten long goals and a hundred leave periods, in multi-byte characters) is a
    422 naming the sizes; the same person with a short profile registers."""
    settings = service_settings(stack, IntakeSettings, "intake")
    settings.kafka = KafkaSettings(
        bootstrap_servers=stack.bootstrap_servers,
        max_message_bytes=65_536,
        session_timeout_ms=stack.session_timeout_ms,
    )
    async with running("intake", settings, build_intake) as intake:
        program_id, coordinator = await open_program(intake, unique)
        today = datetime.now(UTC).date()
        goals = [
            smart_goal(
                today, f"g{n}", statement="é" * 500, measurable_outcome="ü" * 500, target_skills=[]
            )
            for n in range(10)
        ]
        exceptions = [{**LEAVE, "reason": "ö" * 200}] * 100
        body = mentee_body(
            unique,
            program_id,
            goals=goals,
            availability={"timezone": "Europe/Berlin", "exceptions": exceptions},
        )
        refused = await intake.http.post("/participants/mentees", json=body, headers=coordinator)
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        assert (problem["error"], problem["field"]) == ("event_too_large", "body")
        assert "mentornet.mentee.registered.v2" in problem["reason"]
        assert "49,152-byte limit" in problem["reason"]
        assert await participants(intake, mongo) == 0
        small = mentee_body(unique, program_id)
        assert (
            await intake.http.post("/participants/mentees", json=small, headers=coordinator)
        ).status_code == 201


def forced_entry(pid: str, program_id: str) -> dict[str, Any]:
    """A registration record of 2 MB, as an older release or a bug might have left in
    the outbox: over every broker's record limit."""
    value = (
        '{"participant_id": "'
        + pid
        + '", "program_id": "'
        + program_id
        + '", "languages": ["en"], "note": "'
        + "x" * 2_000_000
        + '"}'
    ).encode()
    headers = {"ce_type": "mentornet.mentee.registered.v2", "ce_id": str(uuid.uuid4())}
    return raw_entry(
        str(uuid.uuid4()),
        PARTICIPANTS.name,
        pid.encode(),
        value,
        headers,
        "mentornet.mentee.registered.v2",
    )


def outbox_cli(stack: Endpoints, database: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mentornet_tooling.cli",
            "outbox",
            *args,
            "--mongodb-uri",
            stack.mongo_uri,
            "--database",
            database,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_a_record_over_the_limit_is_poisoned_while_100_others_arrive(
    stack: Endpoints, mongo: Any, unique: str
) -> None:
    settings = service_settings(
        stack,
        IntakeSettings,
        "intake",
        relay_max_attempts=3,
        relay_backoff_ms=200,
        relay_backoff_max_ms=200,
        stall_after_s=1.0,
    )
    async with running("intake", settings, build_intake) as intake:
        program_id, coordinator = await open_program(intake, unique)
        stuck = f"p-stuck-{unique}"
        written = datetime.now(UTC) - timedelta(seconds=30)
        await mongo[intake.database]["participants"].insert_one(
            {
                "_id": stuck,
                "version": 1,
                "state": {"participant_id": stuck},
                "inbox": [],
                "outbox": [forced_entry(stuck, program_id)],
                "pending": True,
                "updated_at": written,
            }
        )
        people = [f"{unique}-{n}" for n in range(100)]
        registered = await asyncio.gather(
            *(
                intake.http.post(
                    "/participants/mentees", json=mentee_body(p, program_id), headers=coordinator
                )
                for p in people
            )
        )
        assert [r.status_code for r in registered] == [201] * 100
        ids = {r.json()["participant_id"].encode() for r in registered}

        async def all_arrived() -> bool:
            found = await all_records(
                stack.bootstrap_servers,
                PARTICIPANTS.name,
                lambda r: r.key in ids | {stuck.encode()},
            )
            return {r.key for r in found if kind_of(r) == "mentee.registered"} == ids

        await eventually(all_arrived, timeout=60, what="all 100 registrations on Kafka")

        async def poisoned() -> dict[str, Any] | None:
            response = await intake.http.get("/healthz")
            body: dict[str, Any] = response.json()
            return body if response.status_code == 503 and body["relay"]["poisoned"] == 1 else None

        health = await eventually(poisoned, timeout=60, what="/healthz to report the poison")
        assert any("poisoned" in p for p in health["problems"])
        metrics = (await intake.http.get("/metrics")).text
        assert 'mentornet_outbox_relay_failures_total{reason="too_large"} 3.0' in metrics
        listed = outbox_cli(stack, intake.database, "list", "--service", "intake")
        assert listed.returncode == 0, listed.stderr
        assert f"participants/{stuck}" in listed.stdout
        assert "poisoned" in listed.stdout
        discarded = outbox_cli(
            stack,
            intake.database,
            "discard",
            "intake",
            f"participants/{stuck}",
            "--reason",
            "written by a bug",
        )
        assert discarded.returncode == 0, discarded.stderr

        async def clear() -> bool:
            response = await intake.http.get("/healthz")
            return response.status_code == 200 and response.json()["relay"]["poisoned"] == 0

        await eventually(clear, timeout=30, what="/healthz to clear")
        leftover = await all_records(
            stack.bootstrap_servers, PARTICIPANTS.name, lambda r: r.key == stuck.encode()
        )
        assert leftover == []
        kept = await mongo[intake.database]["outbox_discarded"].find_one({"aggregate_id": stuck})
        assert kept is not None
        assert kept["reason"] == "written by a bug"
