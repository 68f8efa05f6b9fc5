"""A 2 MB record produced raw to mentornet.participants stops nobody: each consuming
service (matcher, scheduler, feedback, QA) dead-letters it once, as an envelope that
fits its DLQ, and handles the next record of the same partition."""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import AsyncExitStack
from functools import partial
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from mentornet_contracts import REGISTRY, dlq, encode, new_envelope
from mentornet_contracts.catalogue import PARTICIPANTS, SERVICES
from mentornet_contracts.events.participants import MenteeRegistered
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.kafka import all_records, header
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.conftest import ServiceOn
from tests.support.helpers import consumed

pytestmark = pytest.mark.integration

CONSUMERS = ("matcher", "scheduler", "feedback", "qa")
SETTLE_S = 3.0
"""After every service moved on, how long to keep watching the DLQs for a second copy."""


def oversized(pid: str) -> tuple[bytes, list[tuple[str, bytes]]]:
    """What the issue's attack would have published: a registration of 2 MB, over the
    contract's bounds (19,000 absences at 110 bytes each)."""
    leave = {"start_date": "2027-01-04", "end_date": "2027-01-05", "reason": "x" * 40}
    payload = {
        "participant_id": pid,
        "program_id": "prog-poison",
        "languages": ["en"],
        "availability": {"timezone": "Europe/Berlin", "exceptions": [leave] * 19_000},
    }
    template = encode(
        new_envelope(MenteeRegistered(participant_id=pid, program_id="p", languages=("en",)), "x"),
        REGISTRY,
    )
    return json.dumps(payload).encode(), list(template.headers)


async def produce_raw(
    bootstrap: str, key: bytes, value: bytes, headers: list[tuple[str, bytes]]
) -> tuple[int, int]:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=False, max_request_size=4_000_000
    )
    await producer.start()
    try:
        sent = await producer.send_and_wait(PARTICIPANTS.name, value, key=key, headers=headers)
        return int(sent.partition), int(sent.offset)
    finally:
        await producer.stop()


async def test_a_2mb_record_is_dead_lettered_once_and_every_service_moves_on(
    stack: Endpoints,
    matcher: RunningService,
    scheduler_on: ServiceOn,
    feedback_on: ServiceOn,
    qa_on: ServiceOn,
    unique: str,
) -> None:
    async with AsyncExitStack() as services:
        running = {"matcher": matcher}
        for name, start in (("scheduler", scheduler_on), ("feedback", feedback_on), ("qa", qa_on)):
            running[name] = await services.enter_async_context(start())
        pid = f"p-poison-{unique}"
        value, headers = oversized(pid)
        assert len(value) > 2_000_000
        started = time.monotonic()
        partition, offset = await produce_raw(stack.bootstrap_servers, pid.encode(), value, headers)
        good = new_envelope(
            MenteeRegistered(participant_id=pid, program_id="prog-poison", languages=("en",)),
            "intake",
        )
        record = encode(good, REGISTRY)
        after = await produce_raw(
            stack.bootstrap_servers, record.key, record.value, list(record.headers)
        )
        assert after == (partition, offset + 1), "the next record shares the partition"

        moved_on: dict[str, float] = {}

        async def handled_next(name: str) -> bool:
            text = (await running[name].http.get("/metrics")).text
            total = sum(
                consumed(text, good.type, outcome)
                for outcome in ("applied", "unchanged", "duplicate", "parked", "ignored")
            )
            if total >= 1 and name not in moved_on:
                moved_on[name] = time.monotonic() - started
            return total >= 1

        await asyncio.gather(
            *(
                eventually(partial(handled_next, n), timeout=60, what=f"{n} to move on")
                for n in CONSUMERS
            )
        )

        def from_the_record(r: Any) -> bool:
            return (
                header(r, dlq.ORIGIN_PARTITION) == str(partition)
                and header(r, dlq.ORIGIN_OFFSET) == str(offset)
                and header(r, dlq.ORIGIN_TOPIC) == PARTICIPANTS.name
            )

        async def letters() -> dict[str, list[Any]]:
            return {
                name: await all_records(
                    stack.bootstrap_servers, SERVICES[name].dlq.name, from_the_record
                )
                for name in CONSUMERS
            }

        async def each_dead_lettered() -> bool:
            return all(found for found in (await letters()).values())

        await eventually(each_dead_lettered, timeout=60, what="a dead letter from each service")
        await asyncio.sleep(SETTLE_S)
        found = await letters()
        print(f"\nmoved on after (s): {json.dumps({k: round(v, 2) for k, v in moved_on.items()})}")
        print(f"dead letters per service: {json.dumps({k: len(v) for k, v in found.items()})}")
        assert {name: len(v) for name, v in found.items()} == dict.fromkeys(CONSUMERS, 1)
        for name, [letter] in found.items():
            body = json.loads(letter.value)
            assert header(letter, dlq.ENVELOPE) == "too_large", name
            assert header(letter, dlq.REASON) == "schema_violation", name
            assert int(header(letter, dlq.VALUE_BYTES) or 0) == len(value)
            assert body["value_prefix"].startswith('{"participant_id": "p-poison-')
            assert len(letter.value) < 16_384
