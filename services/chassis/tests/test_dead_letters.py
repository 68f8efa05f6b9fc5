"""Dead letters: whole when they fit, an envelope when they do not, and a record that
keeps failing its batch is set aside after a bounded number of rewinds."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from mentornet_chassis.messaging.consumer import IncomingRecord, RecordProcessor, RetryPolicy
from mentornet_chassis.messaging.deadletters import DeadLetters
from mentornet_chassis.messaging.lanes import process_batch
from mentornet_chassis.messaging.outgoing import OutgoingRecord
from mentornet_chassis.process.metrics import Metrics
from mentornet_contracts import REGISTRY, dlq
from mentornet_contracts.budget import MAX_MESSAGE_BYTES, record_bytes
from mentornet_contracts.errors import SchemaViolationError
from mentornet_tooling.testing.letters import kept_by
from pymongo.errors import AutoReconnect

pytestmark = pytest.mark.unit

HEADERS = (("ce_type", b"mentornet.mentee.registered.v2"), ("ce_id", b"e-1"))


def record(offset: int = 7, value: bytes = b"{}", partition: int = 0) -> IncomingRecord:
    return IncomingRecord("mentornet.participants", partition, offset, b"p-1", value, HEADERS)


def letters(sent: list[OutgoingRecord], metrics: Metrics | None = None) -> DeadLetters:
    async def publish(letter: OutgoingRecord) -> None:
        sent.append(letter)

    return DeadLetters(
        "matcher", "mentornet.matcher.dlq", kept_by(publish), metrics or Metrics("t")
    )


def size(letter: OutgoingRecord) -> int:
    return record_bytes(
        letter.key, letter.value, [(n, v.encode()) for n, v in letter.headers.items()]
    )


async def test_a_record_that_fits_is_copied_whole_with_the_reasons() -> None:
    sent: list[OutgoingRecord] = []
    await letters(sent).send(record(), SchemaViolationError("bad"), attempts=1)
    [letter] = sent
    assert (letter.key, letter.value) == (b"p-1", b"{}")
    assert letter.headers["ce_type"] == "mentornet.mentee.registered.v2"
    assert letter.headers[dlq.REASON] == "schema_violation"
    assert letter.headers[dlq.ORIGIN_OFFSET] == "7"
    assert dlq.ENVELOPE not in letter.headers


async def test_a_record_too_large_for_the_dlq_goes_as_an_envelope_that_fits() -> None:
    value = b'{"participant_id": "' + b"x" * 2_000_000 + b'"}'
    sent: list[OutgoingRecord] = []
    await letters(sent).send(record(value=value), SchemaViolationError("huge"), attempts=1)
    [letter] = sent
    body = json.loads(letter.value)
    digest = hashlib.sha256(value).hexdigest()
    assert letter.headers[dlq.ENVELOPE] == "too_large"
    assert letter.headers[dlq.VALUE_BYTES] == str(len(value))
    assert letter.headers[dlq.VALUE_SHA256] == digest == body["value_sha256"]
    assert body["origin"] == {"topic": "mentornet.participants", "partition": 0, "offset": 7}
    assert body["value_bytes"] == len(value)
    assert body["value_prefix"].startswith('{"participant_id": "xxx')
    assert body["headers"]["ce_type"] == "mentornet.mentee.registered.v2"
    assert size(letter) < 16_384 < MAX_MESSAGE_BYTES


async def test_huge_headers_also_make_an_envelope() -> None:
    headers = (*HEADERS, ("x-junk", b"j" * 1_200_000))
    sent: list[OutgoingRecord] = []
    big = IncomingRecord("mentornet.participants", 0, 3, b"p-1", b"{}", headers)
    await letters(sent).send(big, SchemaViolationError("junk"), attempts=1)
    [letter] = sent
    assert letter.headers[dlq.ENVELOPE] == "too_large"
    assert "x-junk" not in letter.headers
    assert len(json.loads(letter.value)["headers"]["x-junk"]) == 256
    assert size(letter) <= MAX_MESSAGE_BYTES


async def test_the_error_message_is_cut_to_its_byte_limit() -> None:
    sent: list[OutgoingRecord] = []
    await letters(sent).send(record(), ValueError("é" * 5000), attempts=5)
    message = sent[0].headers[dlq.ERROR_MESSAGE]
    assert len(message.encode()) <= dlq.MAX_ERROR_MESSAGE_BYTES
    assert message.startswith("éé")


async def test_a_second_letter_for_the_same_origin_is_not_written() -> None:
    sent: list[OutgoingRecord] = []
    metrics = Metrics("t")
    dead = letters(sent, metrics)
    for _ in range(3):
        await dead.send(record(), SchemaViolationError("bad"), attempts=1)
    await dead.send(record(offset=8), SchemaViolationError("bad"), attempts=1)
    assert [letter.headers[dlq.ORIGIN_OFFSET] for letter in sent] == ["7", "8"]
    assert metrics.dlq_repeats._value.get() == 2


def processor(sent: list[OutgoingRecord], max_rewinds: int = 3) -> RecordProcessor:
    metrics = Metrics("t")
    return RecordProcessor(
        REGISTRY, {}, letters(sent, metrics), metrics, RetryPolicy(), max_rewinds=max_rewinds
    )


async def test_a_record_that_keeps_failing_its_batch_is_set_aside_after_max_rewinds() -> None:
    sent: list[OutgoingRecord] = []
    chassis = processor(sent, max_rewinds=3)
    handled: list[int] = []

    async def process(incoming: IncomingRecord) -> str:
        if incoming.offset == 2:
            raise RuntimeError("a fault in the chassis")
        handled.append(incoming.offset)
        return "applied"

    batch = [record(offset=n) for n in (1, 2, 3)]
    deliveries = 0
    while True:
        deliveries += 1
        try:
            await process_batch(chassis.guarded(process), batch)
            break
        except RuntimeError:
            assert deliveries < 3, "rewound more often than max_rewinds"
    assert deliveries == 3
    assert handled == [1, 1, 1, 3]
    [letter] = sent
    assert (letter.headers[dlq.REASON], letter.headers[dlq.ATTEMPTS]) == ("set_aside", "3")
    assert letter.headers[dlq.ORIGIN_OFFSET] == "2"


async def test_an_unreachable_store_never_counts_towards_setting_aside() -> None:
    sent: list[OutgoingRecord] = []
    chassis = processor(sent, max_rewinds=1)

    async def process(incoming: IncomingRecord) -> Any:
        raise AutoReconnect("store away")

    for _ in range(5):
        with pytest.raises(AutoReconnect):
            await chassis.guarded(process)(record())
    assert sent == []


async def test_a_header_without_a_value_does_not_stop_dead_lettering() -> None:
    """Kafka allows a header with no value; aiokafka gives it as None."""

    class Raw:
        topic, partition, offset, key, value = "mentornet.participants", 0, 9, b"k", b"{oops"
        headers = [("ce_type", b"mentornet.mentee.registered.v2"), ("x-empty", None)]

    sent: list[OutgoingRecord] = []
    await letters(sent).send(IncomingRecord.of(Raw()), SchemaViolationError("bad"), attempts=1)
    [letter] = sent
    assert letter.headers["x-empty"] == ""
