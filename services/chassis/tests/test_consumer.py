"""The record processor's decisions, with a recording publish function and no broker."""

from __future__ import annotations

from typing import Any

import pytest
from mentornet_chassis.messaging.consumer import IncomingRecord, RecordProcessor, RetryPolicy
from mentornet_chassis.messaging.deadletters import DeadLetters
from mentornet_chassis.messaging.outgoing import OutgoingRecord
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.store.aggregates import Applied, Outcome
from mentornet_contracts import REGISTRY, Envelope, dlq, encode, new_envelope
from mentornet_contracts.catalogue import PARTICIPANTS
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_tooling.testing.letters import kept_by
from pymongo.errors import ServerSelectionTimeoutError

pytestmark = pytest.mark.unit


def incoming(value: bytes | None = None, headers: Any = None) -> IncomingRecord:
    record = encode(
        new_envelope(
            MenteeRegistered(participant_id="p1", program_id="prog", languages=("en",)), "intake"
        ),
        REGISTRY,
    )
    return IncomingRecord(
        topic=PARTICIPANTS.name,
        partition=2,
        offset=41,
        key=record.key,
        value=record.value if value is None else value,
        headers=record.headers if headers is None else headers,
    )


class Harness:
    def __init__(self, failures: int = 0, max_attempts: int = 3) -> None:
        self.published: list[OutgoingRecord] = []
        self.calls = 0
        self.failures = failures
        self.emitted = 0
        metrics = Metrics("test")

        async def publish(record: OutgoingRecord) -> None:
            self.published.append(record)

        async def handler(envelope: Envelope[Any]) -> Applied:
            self.calls += 1
            if self.calls <= self.failures:
                raise ValueError(f"boom {self.calls}")
            return Applied(Outcome.APPLIED, 1, {}, (envelope,))

        self.processor = RecordProcessor(
            REGISTRY,
            {MenteeRegistered: handler},
            DeadLetters("test", "mentornet.test.dlq", kept_by(publish), metrics),
            metrics,
            RetryPolicy(max_attempts=max_attempts, backoff_s=0.0),
            on_emitted=self._count_emitted,
        )

    def _count_emitted(self) -> None:
        self.emitted += 1


async def test_good_record_is_handled_once() -> None:
    harness = Harness()
    assert await harness.processor.process(incoming()) == "applied"
    assert harness.calls == 1
    assert harness.published == []
    assert harness.emitted == 1


async def test_non_json_goes_to_dlq_without_calling_the_handler() -> None:
    harness = Harness()
    assert await harness.processor.process(incoming(value=b"\xff\x00")) == "dead_lettered"
    assert harness.calls == 0
    [dead] = harness.published
    assert dead.topic == "mentornet.test.dlq"
    assert dead.headers[dlq.REASON] == "invalid_json"
    assert dead.headers[dlq.ORIGIN_PARTITION] == "2"
    assert dead.headers[dlq.ORIGIN_OFFSET] == "41"
    assert dead.value == b"\xff\x00"


async def test_transient_failures_are_retried_then_applied() -> None:
    harness = Harness(failures=2, max_attempts=3)
    assert await harness.processor.process(incoming()) == "applied"
    assert harness.calls == 3
    assert harness.published == []


async def test_exhausted_retries_dead_letter_with_attempts_and_error() -> None:
    harness = Harness(failures=10, max_attempts=3)
    assert await harness.processor.process(incoming()) == "dead_lettered"
    [dead] = harness.published
    assert dead.headers[dlq.ATTEMPTS] == "3"
    assert dead.headers[dlq.ERROR_TYPE] == "ValueError"
    assert dead.headers[dlq.ERROR_MESSAGE] == "boom 3"
    assert dead.headers["ce_type"] == "mentornet.mentee.registered.v2"


async def test_event_type_without_handler_is_ignored() -> None:
    harness = Harness()
    record = encode(
        new_envelope(
            MentorRegistered(participant_id="m1", program_id="prog", skills=(), languages=("en",)),
            "intake",
        ),
        REGISTRY,
    )
    outcome = await harness.processor.process(
        IncomingRecord(PARTICIPANTS.name, 0, 1, record.key, record.value, record.headers)
    )
    assert outcome == "ignored"
    assert harness.calls == 0


async def test_event_on_the_wrong_topic_is_dead_lettered() -> None:
    harness = Harness()
    good = incoming()
    outcome = await harness.processor.process(
        IncomingRecord("mentornet.sessions", 0, 1, good.key, good.value, good.headers)
    )
    assert outcome == "dead_lettered"
    assert harness.published[0].headers[dlq.REASON] == "wrong_topic"


async def test_dlq_write_failure_propagates_so_the_offset_is_not_committed() -> None:
    metrics = Metrics("test")

    async def broken_publish(record: OutgoingRecord) -> None:
        raise ConnectionError("broker down")

    processor = RecordProcessor(
        REGISTRY,
        {},
        DeadLetters("t", "dlq", kept_by(broken_publish), metrics),
        metrics,
        RetryPolicy(backoff_s=0.0),
    )
    with pytest.raises(ConnectionError):
        await processor.process(incoming(value=b"not json"))


async def test_unreachable_store_is_waited_for_not_dead_lettered() -> None:
    metrics, published, calls = Metrics("test"), [], []

    async def publish(record: OutgoingRecord) -> None:
        published.append(record)

    async def handler(envelope: Envelope[Any]) -> Applied:
        calls.append(envelope.id)
        if len(calls) <= 8:
            raise ServerSelectionTimeoutError("no servers")
        return Applied(Outcome.APPLIED, 1, {})

    processor = RecordProcessor(
        REGISTRY,
        {MenteeRegistered: handler},
        DeadLetters("t", "dlq", kept_by(publish), metrics),
        metrics,
        RetryPolicy(max_attempts=2, backoff_s=0.0),
    )
    assert await processor.process(incoming()) == "applied"
    assert len(calls) == 9
    assert published == []


def test_backoff_is_exponential_and_capped() -> None:
    policy = RetryPolicy(max_attempts=10, backoff_s=0.1, backoff_max_s=1.0)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 5, 6)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
