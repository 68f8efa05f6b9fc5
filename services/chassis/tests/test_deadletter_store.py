"""Dead letters through the outbox, on the real store and broker: one letter per origin
offset however often the record comes back, its bytes kept exactly."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from mentornet_chassis.messaging.broker import create_broker, publisher
from mentornet_chassis.messaging.consumer import IncomingRecord
from mentornet_chassis.messaging.deadletter_store import DEAD_LETTERS, DeadLetterStore
from mentornet_chassis.messaging.deadletters import DeadLetters
from mentornet_chassis.messaging.outbox import OutboxRelay
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.process.settings import KafkaSettings
from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_contracts import REGISTRY, dlq
from mentornet_contracts.errors import InvalidJsonError
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.kafka import all_records, header

pytestmark = pytest.mark.integration

DLQ = "mentornet.matcher.dlq"


async def test_a_record_coming_back_is_dead_lettered_once_with_its_bytes(
    stack: Endpoints, mongo: Any, unique: str
) -> None:
    store = AggregateStore(mongo[f"test_letters_{unique}"][DEAD_LETTERS], REGISTRY)
    broker = create_broker(
        KafkaSettings(bootstrap_servers=stack.bootstrap_servers),
        client_id="t",
        graceful_timeout_s=5,
    )
    await broker.start()
    try:
        metrics = Metrics("t")
        relay = OutboxRelay([store], publisher(broker), metrics, settle_s=0)
        letters = DeadLetters("matcher", DLQ, DeadLetterStore(store, relay.wake).keep, metrics)
        garbage = b"\xff\xfe not json " + unique.encode()
        record = IncomingRecord(
            "mentornet.participants", 3, 4242, unique.encode(), garbage, (("ce_id", b"x"),)
        )
        for attempt in range(5):
            await letters.send(record, InvalidJsonError("value is not JSON"), attempts=1)
            if attempt == 1:
                assert await relay.run_once() == 1
        assert await relay.run_once(full=True) == 0
        await asyncio.sleep(0.5)
        found = await all_records(stack.bootstrap_servers, DLQ, lambda r: r.key == unique.encode())
        assert [r.value for r in found] == [garbage]
        assert header(found[0], dlq.ORIGIN_OFFSET) == "4242"
        assert metrics.dlq.labels("invalid_json")._value.get() == 1
        assert metrics.dlq_repeats._value.get() == 4
    finally:
        await broker.stop()
