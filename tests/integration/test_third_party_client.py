"""A third-party Kafka client (confluent-kafka / librdkafka) reads intake's events."""

from __future__ import annotations

import asyncio
import time

import pytest
from confluent_kafka import Consumer, TopicPartition
from mentornet_contracts.catalogue import PARTICIPANTS
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.services import RunningService

from tests.support.helpers import mentee_body, open_program

pytestmark = pytest.mark.integration


def read_with_librdkafka(bootstrap: str, key: bytes, timeout: float = 60) -> object:
    """Assign every partition from the beginning (no group join) and look for `key`."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": "third-party-reader",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
        }
    )
    try:
        metadata = consumer.list_topics(PARTICIPANTS.name, timeout=10)
        partitions = metadata.topics[PARTICIPANTS.name].partitions
        consumer.assign([TopicPartition(PARTICIPANTS.name, p, 0) for p in partitions])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            if message.key() == key:
                return message
    finally:
        consumer.close()
    raise AssertionError("librdkafka consumer never saw the record")


async def test_confluent_kafka_reads_key_and_ce_headers(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    program_id, coordinator = await open_program(intake, unique)
    response = await intake.http.post(
        "/participants/mentees", headers=coordinator, json=mentee_body(unique, program_id)
    )
    assert response.status_code == 201
    created = response.json()
    pid = created["participant_id"]
    message = await asyncio.to_thread(read_with_librdkafka, stack.bootstrap_servers, pid.encode())
    headers = {name: value.decode() for name, value in message.headers()}  # type: ignore[attr-defined]
    assert message.key() == pid.encode()  # type: ignore[attr-defined]
    assert headers["ce_id"] == created["event_id"]
    assert headers["ce_type"] == "mentornet.mentee.registered.v2"
    assert headers["ce_subject"] == pid
    assert headers["ce_source"] == "/mentornet/intake"
    assert headers["ce_specversion"] == "1.0"
