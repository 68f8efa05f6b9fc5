"""Consumers read what they know: fields added compatibly by a newer producer are
ignored, and `contracts check` approves exactly the changes the decoder reads.

The agreement table builds a newer schema from a committed snapshot, a payload as a
producer on that newer schema writes it, and asks both sides: the checker (is the
change compatible?) and the decoder on the committed model (does it read the record?).
They must give the same answer (docs/operations.md, "Changing an event")."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mentornet_contracts import REGISTRY, Event, decode, encode, new_envelope
from mentornet_contracts.bounds import resolve
from mentornet_contracts.budget import largest_event
from mentornet_contracts.compat import compare
from mentornet_contracts.errors import DecodeError
from mentornet_contracts.schemas import load_snapshots, snapshot

pytestmark = pytest.mark.unit

SCHEMAS = Path(__file__).resolve().parents[2] / "contracts" / "schemas"
COMMITTED = load_snapshots(SCHEMAS)
UNKNOWN = {"added_in_a_later_release": {"nested": [1, 2, 3]}, "another_new_field": "x"}


def with_unknown_fields(value: Any, node: dict[str, Any], root: dict[str, Any]) -> Any:
    """`value` with fields its schema does not know added to every model inside it."""
    node = resolve(node, root)
    for key in ("anyOf", "oneOf"):
        if key in node and value is not None:
            branch = next(b for b in node[key] if resolve(b, root).get("type") != "null")
            return with_unknown_fields(value, branch, root)
    if isinstance(value, list) and isinstance(node.get("items"), dict):
        return [with_unknown_fields(item, node["items"], root) for item in value]
    if isinstance(value, dict) and "properties" in node:
        known = {
            name: with_unknown_fields(item, node["properties"].get(name, {}), root)
            for name, item in value.items()
        }
        return {**known, **UNKNOWN}
    return value


def read(event_type: str, payload: dict[str, Any]) -> Event:
    """Decode `payload` as a record of `event_type` with the committed model."""
    event_cls = REGISTRY.event_class(event_type)
    template = encode(new_envelope(largest_event(event_cls), "intake"), REGISTRY)
    value = json.dumps(payload).encode()
    return decode(value, template.headers, REGISTRY, topic=template.topic).event


@pytest.mark.parametrize("event_cls", REGISTRY.event_classes(), ids=lambda c: c.event_type)
def test_fields_a_newer_producer_added_are_ignored_at_every_level(event_cls: type[Event]) -> None:
    event = largest_event(event_cls)
    schema = snapshot(event_cls)
    payload = with_unknown_fields(event.model_dump(mode="json"), schema, schema)
    assert json.dumps(payload).count("added_in_a_later_release") >= 1
    assert read(event_cls.event_type, payload) == event


DECLINED = "mentornet.match.declined.v1"
SCHEDULED = "mentornet.session.scheduled.v2"
Change = Callable[[dict[str, Any], dict[str, Any]], None]
"""Changes a committed schema into a newer one, and a payload into one a producer on
the newer schema writes."""


def add_optional_field(schema: dict[str, Any], payload: dict[str, Any]) -> None:
    schema["properties"]["channel_hint"] = {"type": "string", "maxLength": 20, "default": ""}
    payload["channel_hint"] = "slack"


def add_nested_optional_field(schema: dict[str, Any], payload: dict[str, Any]) -> None:
    schema["$defs"]["LocalTime"]["properties"]["label"] = {"type": "string", "maxLength": 9}
    payload["local_times"][0]["label"] = "home"


def add_enum_value(schema: dict[str, Any], payload: dict[str, Any]) -> None:
    schema["$defs"]["Decider"]["enum"].append("system")
    payload["by"] = "system"


def loosen_max_length(schema: dict[str, Any], payload: dict[str, Any]) -> None:
    schema["properties"]["reason"]["maxLength"] = 1000
    payload["reason"] = "r" * 800


def make_nullable(schema: dict[str, Any], payload: dict[str, Any]) -> None:
    by = schema["properties"]["by"]
    schema["properties"]["by"] = {"anyOf": [by, {"type": "null"}]}
    payload["by"] = None


def make_optional(schema: dict[str, Any], payload: dict[str, Any]) -> None:
    schema["required"].remove("by")
    del payload["by"]


def widen_integer_to_number(schema: dict[str, Any], payload: dict[str, Any]) -> None:
    schema["properties"]["sequence"]["type"] = "number"
    payload["sequence"] = 1.5


AGREEMENT: list[tuple[str, str, Change, bool]] = [
    ("new optional field", DECLINED, add_optional_field, True),
    ("new optional field in a value", SCHEDULED, add_nested_optional_field, True),
    ("new enum value", DECLINED, add_enum_value, False),
    ("loosened maxLength", DECLINED, loosen_max_length, False),
    ("made nullable", DECLINED, make_nullable, False),
    ("required made optional", DECLINED, make_optional, False),
    ("integer widened to number", SCHEDULED, widen_integer_to_number, False),
]


@pytest.mark.parametrize(
    ("event_type", "change", "compatible"),
    [case[1:] for case in AGREEMENT],
    ids=[case[0] for case in AGREEMENT],
)
def test_the_checker_and_the_decoder_agree(
    event_type: str, change: Change, compatible: bool
) -> None:
    committed = COMMITTED[event_type]
    newer = copy.deepcopy(committed)
    payload = largest_event(REGISTRY.event_class(event_type)).model_dump(mode="json")
    change(newer, payload)
    approved = compare(committed, newer) == []
    try:
        read(event_type, payload)
        readable = True
    except DecodeError:
        readable = False
    assert (approved, readable) == (compatible, compatible)
