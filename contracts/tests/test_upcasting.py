"""Superseded versions are still read: a record written under a committed v1 snapshot
decodes as its successor, and one over a bound the successor added is refused with the
field and the bound named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mentornet_contracts import REGISTRY, decode, encode, new_envelope
from mentornet_contracts.bounds import resolve
from mentornet_contracts.errors import SchemaViolationError
from mentornet_contracts.registry import Superseded
from mentornet_contracts.schemas import load_snapshots

pytestmark = pytest.mark.unit

SCHEMAS = Path(__file__).resolve().parents[2] / "contracts" / "schemas"
COMMITTED = load_snapshots(SCHEMAS)


def example_instance(node: dict[str, Any], root: dict[str, Any]) -> Any:
    """A typical value of `node`: each field's first example, nested models built
    field by field."""
    node = resolve(node, root)
    if node.get("examples"):
        return node["examples"][0]
    if node.get("enum"):
        return node["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in node:
            branch = next(b for b in node[key] if resolve(b, root).get("type") != "null")
            return example_instance(branch, root)
    props = node.get("properties") or {}
    return {name: example_instance(prop, root) for name, prop in props.items()}


WEIGHTS = {"skills": 0.5, "availability": 0.5}
AS_PRODUCED = {
    "mentornet.program.published.v1": {"matching_weights": WEIGHTS},
    "mentornet.program.updated.v1": {"matching_weights": WEIGHTS},
}
"""Where a v1 snapshot's example is something intake never wrote: its weights example
named a signal ("goals") that intake always refused. v2 names the signals."""


def as_record(event_type: str, payload: dict[str, Any]) -> tuple[bytes, list[tuple[str, bytes]]]:
    """A record as a producer of `event_type` wrote it: the successor's envelope
    headers with the old type."""
    successor = REGISTRY.superseded_by(event_type)
    assert successor is not None
    template = encode(new_envelope(successor.by.model_validate(payload), "intake"), REGISTRY)
    headers = [(n, event_type.encode() if n == "ce_type" else v) for n, v in template.headers]
    return json.dumps(payload).encode(), headers


def _ids(old: Superseded) -> str:
    return old.event_type


@pytest.mark.parametrize("old", REGISTRY.superseded, ids=_ids)
def test_a_record_of_a_superseded_version_reads_as_its_successor(old: Superseded) -> None:
    schema = COMMITTED[old.event_type]
    payload = {**example_instance(schema, schema), **AS_PRODUCED.get(old.event_type, {})}
    value, headers = as_record(old.event_type, payload)
    topic = REGISTRY.topic_of(old.by).name
    decoded = decode(value, headers, REGISTRY, topic=topic)
    assert type(decoded.event) is old.by
    assert decoded.event == old.by.model_validate(old.upcast(json.loads(value)))
    assert decoded.event.model_dump(mode="json", exclude_unset=True) == payload


@pytest.mark.parametrize("old", REGISTRY.superseded, ids=_ids)
def test_every_superseded_version_has_its_committed_contract(old: Superseded) -> None:
    assert old.event_type in COMMITTED
    assert COMMITTED[old.event_type]["x-topic"] == REGISTRY.topic_of(old.by).name
    assert old.by.event_type in COMMITTED


def test_a_v1_record_over_a_bound_v2_added_is_refused_naming_field_and_bound() -> None:
    leave = {"start_date": "2027-01-01", "end_date": "2027-01-02", "reason": "leave"}
    payload = {
        "participant_id": "p-1",
        "program_id": "prog-1",
        "languages": ["en"],
        "availability": {"timezone": "Europe/Berlin", "exceptions": [leave] * 19_000},
    }
    value, headers = as_record("mentornet.mentee.registered.v1", {**payload, "availability": None})
    value = json.dumps(payload).encode()
    with pytest.raises(SchemaViolationError) as refused:
        decode(value, headers, REGISTRY, topic="mentornet.participants")
    assert "availability.exceptions" in refused.value.reason
    assert "at most 100 items" in refused.value.reason
    assert refused.value.reason.startswith("mentornet.mentee.registered.v1: ")
