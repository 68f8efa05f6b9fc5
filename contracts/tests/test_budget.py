"""The size budget: every valid event fits in one record with room to dead-letter it,
and every string, list and map in every event has a bound."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, ClassVar

import pytest
from mentornet_contracts import REGISTRY, Event, dlq
from mentornet_contracts.bounds import unbounded
from mentornet_contracts.budget import (
    EVENT_BUDGET_BYTES,
    MAX_MESSAGE_BYTES,
    WORST_CHAR,
    UnsizableSchema,
    largest_event,
    largest_instance,
    largest_record_bytes,
    record_bytes,
    varint_bytes,
)
from mentornet_contracts.schemas import snapshot
from pydantic import Field

pytestmark = pytest.mark.unit

EVENT_CLASSES = REGISTRY.event_classes()


def _ids(cls: type[Event]) -> str:
    return cls.event_type


@pytest.mark.parametrize("event_cls", EVENT_CLASSES, ids=_ids)
def test_every_string_list_and_map_of_every_event_has_a_bound(event_cls: type[Event]) -> None:
    assert unbounded(snapshot(event_cls)) == []


@pytest.mark.parametrize("event_cls", EVENT_CLASSES, ids=_ids)
def test_the_largest_valid_event_fits_the_budget(event_cls: type[Event]) -> None:
    event = largest_event(event_cls)  # validated by the event's own model
    assert isinstance(event, event_cls)
    assert largest_record_bytes(event_cls) <= EVENT_BUDGET_BYTES


class _Unbounded(Event):
    event_type: ClassVar[str] = "mentornet.test.unbounded.v1"
    key_field: ClassVar[str] = "person_id"
    person_id: str = Field(max_length=64, description="Who.", examples=["p1"])
    notes: tuple[str, ...] = Field(description="Notes.", examples=[["hi"]])


class _TooLarge(Event):
    """Bounded, but 2000 notes of 100 characters at six bytes each are over 1 MB."""

    event_type: ClassVar[str] = "mentornet.test.too_large.v1"
    key_field: ClassVar[str] = "person_id"
    person_id: str = Field(max_length=64, description="Who.", examples=["p1"])
    notes: tuple[Annotated[str, Field(max_length=100)], ...] = Field(
        max_length=2000, description="Notes.", examples=[["hi"]]
    )


def test_an_unbounded_list_is_named_and_cannot_be_sized() -> None:
    schema = _Unbounded.model_json_schema()
    assert unbounded(schema) == [
        "notes: array without maxItems",
        "notes[]: string without maxLength",
    ]
    with pytest.raises(UnsizableSchema, match=r"\$\.notes"):
        largest_instance(schema)


def test_a_bounded_event_can_still_be_over_the_budget() -> None:
    value = json.dumps(largest_instance(_TooLarge.model_json_schema())).encode()
    assert record_bytes(b"p1", value, []) > EVENT_BUDGET_BYTES


def test_the_largest_instance_fills_everything_in_its_most_expensive_form() -> None:
    schema = {
        "type": "object",
        "properties": {
            "text": {"type": "string", "maxLength": 3},
            "code": {"type": "string", "pattern": "^[a-z]{2}$"},
            "when": {"type": "string", "format": "date-time"},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 1}, "maxItems": 4},
            "maybe": {"anyOf": [{"type": "integer", "maximum": 7}, {"type": "null"}]},
            "scores": {
                "type": "object",
                "additionalProperties": {"type": "integer", "maximum": 5},
                "propertyNames": {"enum": ["a", "b"]},
            },
        },
        "required": ["text"],
    }
    assert largest_instance(schema) == {
        "text": WORST_CHAR * 3,
        "code": "xx",
        "when": "2026-12-31T23:59:59.999999Z",
        "tags": [WORST_CHAR] * 4,
        "maybe": 7,
        "scores": {"a": 5, "b": 5},
    }
    assert json.dumps(WORST_CHAR) == '"\\u0001"'  # six bytes inside the quotes


def test_record_bytes_counts_framing_key_value_and_headers() -> None:
    assert [varint_bytes(n) for n in (0, 63, 64, 8191, 8192)] == [1, 1, 2, 2, 3]
    bare = record_bytes(None, None, [])
    assert bare == 61 + 21 + 1 + 1 + 1
    with_parts = record_bytes(b"k" * 10, b"v" * 100, [("ce_id", b"x" * 36)])
    assert with_parts == bare - 2 + (1 + 10) + (2 + 100) + (1 + 5) + (1 + 36)


def test_the_dlq_headers_at_their_longest_fit_the_headroom() -> None:
    longest = [(name, b"x" * dlq.MAX_VALUE_BYTES[name]) for name in dlq.ALL]
    assert sorted(dlq.MAX_VALUE_BYTES) == sorted(dlq.ALL)
    headers_bytes = record_bytes(None, None, longest) - record_bytes(None, None, [])
    assert headers_bytes <= dlq.HEADROOM_BYTES
    assert EVENT_BUDGET_BYTES + dlq.HEADROOM_BYTES == MAX_MESSAGE_BYTES


def test_budget_numbers_are_what_the_docs_say() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "events.md").read_text()
    for event_cls in EVENT_CLASSES:
        assert f"| `{event_cls.event_type}` | {largest_record_bytes(event_cls):,} |" in text
