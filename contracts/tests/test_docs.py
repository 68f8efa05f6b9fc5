"""Generated docs: the event catalogue and the per-service AsyncAPI documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mentornet_contracts import REGISTRY, SERVICES
from mentornet_contracts.docs import (
    CE_HEADERS,
    asyncapi_document,
    event_topics,
    events_markdown,
    write_asyncapi,
    write_event_docs,
)


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    target: Any = document
    for part in ref[2:].split("/"):
        target = target[part]
    return target


@pytest.mark.unit
def test_events_markdown_lists_every_topic_and_event(tmp_path: Path) -> None:
    path = write_event_docs(REGISTRY, SERVICES, tmp_path / "docs" / "events.md")
    text = path.read_text()
    for topic in event_topics(REGISTRY):
        assert f"## {topic.name}" in text
        assert f"- partitions: {topic.partitions}" in text
    for event_type in REGISTRY.event_types():
        assert f"### {event_type}" in text
    for header in CE_HEADERS:
        assert f"`{header}`" in text
    assert "| `participant_id` |" in text
    assert "| field | type | required | description | example |" in text


@pytest.mark.unit
def test_events_markdown_topics_follow_catalogue_order(tmp_path: Path) -> None:
    text = write_event_docs(REGISTRY, SERVICES, tmp_path / "events.md").read_text()
    positions = [text.index(f"## {t.name}\n") for t in event_topics(REGISTRY)]
    assert positions == sorted(positions)


@pytest.mark.unit
def test_asyncapi_document_per_service(tmp_path: Path) -> None:
    paths = write_asyncapi(REGISTRY, SERVICES, tmp_path)
    assert sorted(p.name for p in paths) == sorted(f"{name}.json" for name in SERVICES)
    for name, spec in SERVICES.items():
        document = json.loads((tmp_path / "asyncapi" / f"{name}.json").read_text())
        assert document["asyncapi"] == "3.0.0"
        addresses = {c["address"] for c in document["channels"].values()}
        expected = {t.name for t in (*spec.publishes, *spec.consumes)} | {spec.dlq.name}
        assert addresses == expected
        actions = {
            document["channels"][op["channel"]["$ref"].rsplit("/", 1)[-1]]["address"]: op["action"]
            for op in document["operations"].values()
        }
        for topic in spec.publishes:
            assert actions[topic.name] == "send"
        for topic in spec.consumes:
            assert actions[topic.name] == "receive"
        assert actions[spec.dlq.name] == "send"


@pytest.mark.unit
def test_asyncapi_refs_resolve_and_messages_carry_payload_headers_and_key() -> None:
    document = asyncapi_document(REGISTRY, SERVICES["matcher"])
    for ref in _refs(document):
        _resolve(document, ref)
    participants = document["channels"]["mentornet_participants"]
    assert participants["bindings"]["kafka"]["partitions"] == 6
    message = document["components"]["messages"]["mentornet.mentee.registered.v2"]
    payload = _resolve(document, message["payload"]["$ref"])
    assert "participant_id" in payload["properties"]
    assert message["bindings"]["kafka"]["key"]["type"] == "string"
    headers = document["components"]["schemas"]["CloudEventHeaders"]
    assert set(headers["properties"]) == set(CE_HEADERS)
    assert "$defs" not in json.dumps(document)


@pytest.mark.unit
def test_committed_event_docs_are_current() -> None:
    """docs/events.md, with its size budget, is what the code generates."""
    committed = Path(__file__).resolve().parents[2] / "docs" / "events.md"
    assert committed.read_text() == events_markdown(REGISTRY, SERVICES)
