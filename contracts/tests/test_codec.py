"""CloudEvents binary-mode codec: our records round-trip, the SDK reads them, old
versions upcast, and every kind of bad record is refused with a reason."""

from __future__ import annotations

import contextvars
import json
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary_event
from mentornet_contracts import (
    REGISTRY,
    Event,
    Registry,
    Topic,
    decode,
    encode,
    new_envelope,
    stamp_events_with,
)
from mentornet_contracts.errors import (
    InvalidJsonError,
    MissingHeaderError,
    SchemaViolationError,
    UnknownEventTypeError,
    WrongTopicError,
)
from mentornet_contracts.events.participants import MenteeRegistered
from pydantic import Field

pytestmark = pytest.mark.unit


def mentee(pid: str = "p-1") -> MenteeRegistered:
    return MenteeRegistered(participant_id=pid, program_id="prog-1", languages=("en", "fr"))


def test_round_trip_keeps_event_and_attributes() -> None:
    envelope = new_envelope(mentee(), "intake", correlation_id="corr-1")
    record = encode(envelope, REGISTRY)
    decoded = decode(record.value, record.headers, REGISTRY, topic=record.topic)
    assert decoded == envelope
    assert record.key == b"p-1"
    assert record.topic == "mentornet.participants"


def test_caused_event_inherits_correlation_and_names_its_cause() -> None:
    root = new_envelope(mentee(), "intake")
    child = new_envelope(mentee("p-2"), "matcher", caused_by=root)
    assert root.correlation_id == root.id == root.causation_id
    assert child.correlation_id == root.id
    assert child.causation_id == root.id
    assert child.source == "/mentornet/matcher"


def test_cloudevents_sdk_reads_our_record() -> None:
    envelope = new_envelope(mentee(), "intake", correlation_id="corr-9")
    record = encode(envelope, REGISTRY)
    event = from_binary_event(
        KafkaMessage(headers=dict(record.headers), key=record.key, value=record.value)
    )
    attributes = event.get_attributes()
    assert attributes["id"] == envelope.id
    assert attributes["type"] == "mentornet.mentee.registered.v2"
    assert attributes["source"] == "/mentornet/intake"
    assert attributes["subject"] == "p-1"
    assert attributes["specversion"] == "1.0"
    assert attributes["datacontenttype"] == "application/json"
    assert attributes["time"] == envelope.time
    assert attributes["correlationid"] == "corr-9"
    assert attributes["causationid"] == envelope.id
    assert attributes["partitionkey"] in ("p-1", b"p-1")
    data = event.get_data()
    assert isinstance(data, dict)
    assert data["languages"] == ["en", "fr"]


@pytest.mark.parametrize(
    ("mutate", "error", "says"),
    [
        (
            lambda h, v: ({k: x for k, x in h.items() if k != "ce_id"}, v),
            MissingHeaderError,
            "ce_id",
        ),
        (lambda h, v: ({**h, "ce_specversion": b"0.3"}, v), MissingHeaderError, r"1\.0"),
        (lambda h, v: ({**h, "ce_time": b"yesterday"}, v), MissingHeaderError, "ce_time"),
        (lambda h, v: ({**h, "ce_type": b"mentornet.nope.v1"}, v), UnknownEventTypeError, "nope"),
        (
            lambda h, v: ({**h, "ce_correlationid": b"c" * 129}, v),
            MissingHeaderError,
            "ce_correlationid is over 128 characters",
        ),
        (lambda h, v: (h, b"{oops"), InvalidJsonError, "not JSON"),
        (lambda h, v: (h, b"[1, 2]"), InvalidJsonError, "not an object"),
        (lambda h, v: (h, b'{"participant_id": "p-1"}'), SchemaViolationError, "program_id"),
        (lambda h, v: (h, v.replace(b'"en"', b"7")), SchemaViolationError, "languages"),
    ],
)
def test_bad_records_are_refused_with_a_reason(
    mutate: Any, error: type[Exception], says: str
) -> None:
    record = encode(new_envelope(mentee(), "intake"), REGISTRY)
    headers, value = mutate(dict(record.headers), record.value)
    with pytest.raises(error, match=says):
        decode(value, list(headers.items()), REGISTRY, topic=record.topic)


def test_event_on_the_wrong_topic_is_refused() -> None:
    record = encode(new_envelope(mentee(), "intake"), REGISTRY)
    with pytest.raises(WrongTopicError, match=r"mentornet\.participants"):
        decode(record.value, record.headers, REGISTRY, topic="mentornet.sessions")


class GreetingV1(Event):
    event_type: ClassVar[str] = "mentornet.greeting.sent.v1"
    key_field: ClassVar[str] = "person_id"
    person_id: str = Field(description="Who.", examples=["p1"])
    name: str = Field(description="Full name.", examples=["Ada Lovelace"])


class GreetingV2(Event):
    event_type: ClassVar[str] = "mentornet.greeting.sent.v2"
    key_field: ClassVar[str] = "person_id"
    person_id: str = Field(description="Who.", examples=["p1"])
    given_name: str = Field(description="Given name.", examples=["Ada"])
    family_name: str = Field(description="Family name.", examples=["Lovelace"])


def split_name(payload: dict[str, Any]) -> dict[str, Any]:
    given, _, family = payload.pop("name").partition(" ")
    return {**payload, "given_name": given, "family_name": family}


def test_upcaster_decodes_a_v1_record_into_the_v2_model() -> None:
    registry = Registry(
        topics=(Topic("mentornet.greetings", "person id", (GreetingV1, GreetingV2)),)
    )
    registry.register_upcaster(GreetingV1.event_type, GreetingV2.event_type, split_name)
    old = encode(new_envelope(GreetingV1(person_id="p1", name="Ada Lovelace"), "t"), registry)
    decoded = decode(old.value, old.headers, registry)
    assert decoded.event == GreetingV2(person_id="p1", given_name="Ada", family_name="Lovelace")
    assert json.loads(old.value) == {"person_id": "p1", "name": "Ada Lovelace"}


def test_upcaster_must_target_a_registered_type() -> None:
    registry = Registry(topics=(Topic("mentornet.greetings", "person id", (GreetingV1,)),))
    with pytest.raises(UnknownEventTypeError):
        registry.register_upcaster(GreetingV1.event_type, "mentornet.greeting.sent.v2", split_name)


def test_event_type_names_are_checked_at_class_creation() -> None:
    with pytest.raises(ValueError, match="mentornet"):
        type(
            "Bad",
            (Event,),
            {"event_type": "match.proposed", "key_field": "x", "__annotations__": {}},
        )


def test_a_context_stamps_its_envelopes_with_its_own_clock() -> None:
    """A service on a simulated clock dates its events on that clock; other contexts
    (another service in the same process, the caller) keep the wall clock."""
    simulated = datetime(2031, 3, 30, 1, 30, tzinfo=UTC)

    def in_service() -> datetime:
        stamp_events_with(lambda: simulated)
        return new_envelope(mentee(), "scheduler").time

    assert contextvars.copy_context().run(in_service) == simulated
    outside = new_envelope(mentee(), "scheduler").time
    assert abs(outside - datetime.now(UTC)) < timedelta(minutes=1)
