"""One record the broker refuses holds back only its own aggregate: the others keep
flowing, it is retried with backoff, then poisoned for an operator, who retries or
discards it. A broker outage counts against no record."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import pytest
from aiokafka.errors import (
    KafkaConnectionError,
    MessageSizeTooLargeError,
    UnknownTopicOrPartitionError,
)
from mentornet_chassis.messaging.outbox import OutboxRelay
from mentornet_chassis.messaging.outgoing import OutgoingRecord
from mentornet_chassis.messaging.relay_failures import FAILURES, RelayPolicy
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_contracts import REGISTRY
from mentornet_tooling.operator import outbox as operator
from mentornet_tooling.testing.examples import withdrawals

pytestmark = pytest.mark.integration

FAST = RelayPolicy(max_attempts=3, first_backoff_s=0.05, max_backoff_s=0.05)


class Broker:
    """Refuses every record of the aggregates in `refused`, as Kafka refuses one over
    its size limit; `down` makes it unreachable."""

    def __init__(self, refused: set[bytes]) -> None:
        self.refused = refused
        self.down = False
        self.sent: list[OutgoingRecord] = []
        self.tries: dict[bytes, int] = {}

    async def publish(self, record: OutgoingRecord) -> None:
        self.tries[record.key] = self.tries.get(record.key, 0) + 1
        if self.down:
            raise KafkaConnectionError("no broker")
        if record.key in self.refused:
            raise MessageSizeTooLargeError("the message is 2,000,123 bytes")
        self.sent.append(record)


async def world(mongo: Any, unique: str, others: int) -> tuple[AggregateStore, Broker]:
    store = AggregateStore(mongo[f"test_isolation_{unique}"]["people"], REGISTRY)
    await store.apply("stuck", withdrawals("stuck", 3))
    for n in range(others):
        await store.apply(f"p{n}", withdrawals(f"p{n}", 2))
    return store, Broker({b"stuck"})


async def test_a_refused_record_holds_only_its_aggregate_then_is_poisoned(
    mongo: Any, unique: str
) -> None:
    store, broker = await world(mongo, unique, others=100)
    metrics = Metrics("t")
    policy = RelayPolicy(max_attempts=3, first_backoff_s=0.5, max_backoff_s=0.5)
    relay = OutboxRelay([store], broker.publish, metrics, settle_s=0, policy=policy)
    assert await relay.run_once(full=True) == 200
    assert {r.key for r in broker.sent} == {f"p{n}".encode() for n in range(100)}
    [failure] = (await relay.failures.refresh()).values() if relay.failures else []
    assert (failure.aggregate_id, failure.reason, failure.attempts) == ("stuck", "too_large", 1)
    assert not failure.poisoned
    await relay.run_once(full=True)
    assert broker.tries[b"stuck"] == 1, "tried again before its backoff"
    for _ in range(4):
        await asyncio.sleep(0.55)
        await relay.run_once(full=True)
    assert broker.tries[b"stuck"] == policy.max_attempts, "tried after it was poisoned"
    assert relay.status.poisoned == 1
    assert relay.status.pending == 3
    assert metrics.outbox_poisoned._value.get() == 1
    assert metrics.relay_failures.labels(reason="too_large")._value.get() == 3
    doc = await store.collection.find_one({"_id": "stuck"})
    assert doc is not None
    assert [json.loads(e["value"])["reason"] for e in doc["outbox"]] == ["r0", "r1", "r2"]


async def test_an_operator_retry_and_discard_let_the_aggregate_go_on_in_order(
    mongo: Any, unique: str
) -> None:
    store, broker = await world(mongo, unique, others=0)
    relay = OutboxRelay([store], broker.publish, Metrics("t"), settle_s=0, policy=FAST)
    for _ in range(FAST.max_attempts):
        await relay.run_once(full=True)
        await asyncio.sleep(0.06)
    db = store.collection.database
    aggregate = f"{store.collection.name}/stuck"
    [row] = [f for f in await operator.failures(db)]
    assert row.poisoned

    broker.refused.clear()
    client = store.collection.database.client
    out, err = io.StringIO(), io.StringIO()
    assert await operator.retry_failure(client, "t", db.name, aggregate, out=out, err=err) == 0
    assert await relay.run_once(full=True) == 3
    assert [json.loads(r.value)["reason"] for r in broker.sent] == ["r0", "r1", "r2"]
    assert await db[FAILURES].count_documents({}) == 0

    await store.apply("stuck", withdrawals("stuck", 2))
    broker.refused.add(b"stuck")
    for _ in range(FAST.max_attempts):
        await relay.run_once(full=True)
        await asyncio.sleep(0.06)
    broker.refused.clear()
    discarded = await operator.discard_failure(
        client, "t", db.name, aggregate, "a bad record", out=out, err=err
    )
    assert discarded == 0
    assert await relay.run_once(full=True) == 1
    assert [json.loads(r.value)["reason"] for r in broker.sent][3:] == ["r1"]
    kept = await db[operator.DISCARDED].find_one({})
    assert kept is not None
    assert (kept["reason"], json.loads(kept["entry"]["value"])["reason"]) == ("a bad record", "r0")


async def test_a_broker_outage_counts_against_no_record(mongo: Any, unique: str) -> None:
    store, broker = await world(mongo, unique, others=3)
    broker.refused.clear()
    broker.down = True
    relay = OutboxRelay([store], broker.publish, Metrics("t"), settle_s=0, policy=FAST)
    for _ in range(FAST.max_attempts + 2):
        with pytest.raises(KafkaConnectionError):
            await relay.run_once(full=True)
    assert await store.collection.database[FAILURES].count_documents({}) == 0
    broker.down = False
    assert await relay.run_once(full=True) == 9


async def test_health_sees_the_backlog_while_the_broker_is_away(mongo: Any, unique: str) -> None:
    store, broker = await world(mongo, unique, others=2)
    broker.down = True
    relay = OutboxRelay([store], broker.publish, Metrics("t"), settle_s=0, policy=FAST)
    with pytest.raises(KafkaConnectionError):
        await relay.run_once(full=True)
    assert relay.status.pending == 7
    assert relay.status.oldest_unsent is not None


async def test_a_refused_topic_is_asked_once_a_round_not_once_an_aggregate(
    mongo: Any, unique: str
) -> None:
    store, _ = await world(mongo, unique, others=5)
    tries: list[bytes] = []

    async def missing_topic(record: OutgoingRecord) -> None:
        tries.append(record.key)
        raise UnknownTopicOrPartitionError("no such topic")

    relay = OutboxRelay([store], missing_topic, Metrics("t"), settle_s=0, policy=FAST)
    assert await relay.run_once(full=True) == 0
    assert len(tries) == 1
    failures = await relay.failures.refresh() if relay.failures else {}
    assert {f.reason for f in failures.values()} == {"topic_refused"}
    assert len(failures) == 6
