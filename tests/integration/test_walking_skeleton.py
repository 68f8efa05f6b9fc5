"""Proofs (a)-(d): intake emits through the outbox; matcher consumes exactly once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mentornet_contracts import REGISTRY, dlq, encode, new_envelope
from mentornet_contracts.catalogue import PARTICIPANTS, SERVICES
from mentornet_contracts.events.participants import MenteeRegistered
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.kafka import find_records, header, produce, produce_record
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.support.helpers import SERVICE, consumed, mentee_body, open_program

pytestmark = pytest.mark.integration


async def register(intake: RunningService, unique: str, **overrides: object) -> dict[str, Any]:
    program_id, coordinator = await open_program(intake, unique)
    response = await intake.http.post(
        "/participants/mentees",
        headers=coordinator,
        json=mentee_body(unique, program_id, **overrides),
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def candidate(matcher: RunningService, participant_id: str) -> dict[str, Any] | None:
    response = await matcher.http.get(f"/candidates/{participant_id}", headers=SERVICE)
    return response.json() if response.status_code == 200 else None


async def candidate_doc(matcher: RunningService, mongo: Any, pid: str) -> dict[str, Any]:
    doc: dict[str, Any] = await mongo[matcher.database]["candidates"].find_one({"_id": pid})
    return doc


async def test_a_record_carries_cloudevents_headers_and_key(
    stack: Endpoints, intake: RunningService, unique: str
) -> None:
    created = await register(intake, unique)
    pid = created["participant_id"]
    [record] = await find_records(
        stack.bootstrap_servers, PARTICIPANTS.name, lambda r: r.key == pid.encode()
    )
    assert header(record, "ce_id") == created["event_id"]
    assert header(record, "ce_source") == "/mentornet/intake"
    assert header(record, "ce_type") == "mentornet.mentee.registered.v2"
    assert header(record, "ce_specversion") == "1.0"
    assert header(record, "ce_subject") == pid
    assert header(record, "content-type") == "application/json"
    assert header(record, "ce_correlationid") == created["correlation_id"]
    assert header(record, "ce_causationid") == created["event_id"]
    assert (header(record, "ce_time") or "").endswith("Z")
    payload = json.loads(record.value)
    assert payload["participant_id"] == pid
    assert "email" not in payload
    assert "display_name" not in payload


async def test_registration_reaches_matcher_read_model(
    intake: RunningService, matcher: RunningService, unique: str
) -> None:
    pid = (await register(intake, unique, languages=["en", "de"]))["participant_id"]
    seen = await eventually(lambda: candidate(matcher, pid), what="matcher read model")
    assert seen["roles"]["mentee"]["languages"] == ["en", "de"]
    assert seen["status"] == "active"


async def test_b_same_record_twice_changes_nothing(
    stack: Endpoints, matcher: RunningService, mongo: Any, unique: str
) -> None:
    pid = f"p-dup-{unique}"
    envelope = new_envelope(
        MenteeRegistered(participant_id=pid, program_id="prog-x", languages=("en",)), "intake"
    )
    record = encode(envelope, REGISTRY)
    await produce_record(stack.bootstrap_servers, record)
    await produce_record(stack.bootstrap_servers, record)

    async def both_seen() -> bool:
        text = (await matcher.http.get("/metrics")).text
        return consumed(text, envelope.type, "duplicate") >= 1

    await eventually(both_seen, what="the duplicate to be recognised")
    doc = await candidate_doc(matcher, mongo, pid)
    assert doc["version"] == 1
    assert doc["inbox"].count(envelope.id) == 1


@pytest.mark.parametrize(
    ("value", "headers", "reason"),
    [
        (b"{not json", "valid", "invalid_json"),
        (b'{"participant_id": "p1"}', "valid", "schema_violation"),
        (b"{}", "unknown_type", "unknown_event_type"),
        (b"{}", "none", "missing_header"),
    ],
)
async def test_c_bad_record_goes_to_dlq_and_next_is_processed(
    stack: Endpoints, matcher: RunningService, unique: str, value: bytes, headers: str, reason: str
) -> None:
    bad_key = f"p-bad-{reason}-{unique}".encode()
    good = encode(
        new_envelope(
            MenteeRegistered(
                participant_id=f"p-good-{unique}", program_id="prog-x", languages=("en",)
            ),
            "intake",
        ),
        REGISTRY,
    )
    bad_headers = {
        "valid": list(good.headers),
        "none": [],
        "unknown_type": [
            (n, b"mentornet.no.such.v1" if n == "ce_type" else v) for n, v in good.headers
        ],
    }[headers]
    await produce(stack.bootstrap_servers, PARTICIPANTS.name, bad_key, value, bad_headers)
    await produce_record(stack.bootstrap_servers, good)

    [dead] = await find_records(
        stack.bootstrap_servers, SERVICES["matcher"].dlq.name, lambda r: r.key == bad_key
    )
    assert dead.value == value
    assert header(dead, dlq.ORIGIN_TOPIC) == PARTICIPANTS.name
    assert header(dead, dlq.ATTEMPTS) == "1"
    assert header(dead, dlq.ORIGIN_OFFSET) is not None
    assert header(dead, dlq.ERROR_MESSAGE)
    assert header(dead, dlq.REASON) == reason
    await eventually(lambda: candidate(matcher, f"p-good-{unique}"), what="the good record")
