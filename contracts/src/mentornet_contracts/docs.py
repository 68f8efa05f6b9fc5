"""Generated event documentation: `docs/events.md` and one AsyncAPI 3.0 document a service.

Both are written from the registry and the service catalogue, never by hand, so they
cannot drift from the code. `mentornet contracts docs` regenerates them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import dlq
from .catalogue import ServiceSpec
from .codec import CONTENT_TYPE, SPEC_VERSION
from .compat import Schema
from .docs_sections import budget_section, superseded_section
from .event import Event
from .registry import Registry, Topic
from .schemas import render, snapshot

ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING_VERSION = "0.5.0"
CE_HEADERS: dict[str, str] = {
    "ce_id": "Unique id of this event (UUID); consumers deduplicate on it.",
    "ce_source": "The producing service, `/mentornet/<service>`.",
    "ce_type": "The event type with its major version, e.g. `mentornet.match.proposed.v2`.",
    "ce_specversion": f"CloudEvents spec version, always `{SPEC_VERSION}`.",
    "ce_time": "When the fact happened, RFC 3339 in UTC.",
    "ce_subject": "The aggregate id; equal to the record key.",
    "ce_correlationid": "Id shared by every event of one causal chain.",
    "ce_causationid": "ce_id of the event that caused this one (its own id if none).",
    "ce_traceparent": "W3C trace context of the span that produced the event (CloudEvents "
    "distributed-tracing extension); also sent as `traceparent`.",
    "ce_tracestate": "W3C tracestate, when the trace has one (at most 512 characters); also "
    "sent as `tracestate`.",
    "content-type": f"Media type of the value, always `{CONTENT_TYPE}`.",
}
REQUIRED_CE_HEADERS = ("ce_id", "ce_source", "ce_type", "ce_specversion", "ce_time", "ce_subject")


def event_topics(registry: Registry) -> list[Topic]:
    """The aggregate topics in catalogue order (DLQs excluded)."""
    return [t for t in registry.topics if t.dlq_of is None]


def _docstring(event_cls: type[Event]) -> str:
    doc = event_cls.__dict__.get("__doc__")
    return " ".join(doc.split()) if isinstance(doc, str) else ""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


# --- docs/events.md ---------------------------------------------------------------------


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _anchor(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum() or c in "-_ ").replace(" ", "-")


def _limits(node: Schema) -> str:
    parts: list[str] = []
    for low, high, unit in (
        ("minimum", "maximum", ""),
        ("minLength", "maxLength", " chars"),
        ("minItems", "maxItems", " items"),
    ):
        if low in node and high in node:
            parts.append(f"{node[low]}..{node[high]}{unit}")
        elif low in node:
            parts.append(f">= {node[low]}{unit}")
        elif high in node:
            parts.append(f"<= {node[high]}{unit}")
    if "pattern" in node:
        parts.append(f"pattern `{node['pattern']}`")
    return f" ({', '.join(parts)})" if parts else ""


def type_label(node: Schema) -> str:
    """A short human-readable type of a JSON Schema node, linking named types."""
    if "$ref" in node:
        name = _ref_name(node["$ref"])
        return f"[{name}](#{_anchor(name)})"
    for key in ("anyOf", "oneOf"):
        if key in node:
            return " or ".join(type_label(branch) for branch in node[key])
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    kind = node.get("type")
    if kind == "array":
        items = node.get("items")
        inner = type_label(items) if isinstance(items, dict) else "any"
        return f"array of {inner}{_limits(node)}"
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return f"map of string to {type_label(node['additionalProperties'])}"
    if kind == "string" and "format" in node:
        return f"string ({node['format']}){_limits(node)}"
    if isinstance(kind, str):
        return f"{kind}{_limits(node)}"
    return "any"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fields_table(schema: Schema) -> list[str]:
    properties: Schema = schema.get("properties", {})
    if not properties:
        return ["_No fields._", ""]
    required = set(schema.get("required", ()))
    lines = ["| field | type | required | description | example |", "|---|---|---|---|---|"]
    for name, prop in properties.items():
        examples = prop.get("examples")
        example = f"`{json.dumps(examples[0])}`" if examples else ""
        lines.append(
            "| "
            + " | ".join(
                _cell(c)
                for c in (
                    f"`{name}`",
                    type_label(prop),
                    "yes" if name in required else "no",
                    prop.get("description", ""),
                    example,
                )
            )
            + " |"
        )
    return [*lines, ""]


def _service_names(services: Mapping[str, ServiceSpec], topic: Topic, publishes: bool) -> str:
    names = [
        s.name
        for s in services.values()
        if topic.name in {t.name for t in (s.publishes if publishes else s.consumes)}
    ]
    return ", ".join(names) or "none"


def events_markdown(registry: Registry, services: Mapping[str, ServiceSpec]) -> str:
    lines = [
        "# MentorNet events",
        "",
        "<!-- Generated by `mentornet contracts docs` from mentornet_contracts; do not edit. -->",
        "",
        "Every event is a CloudEvents 1.0 record in Kafka binary content mode: attributes "
        "in `ce_*` headers, the value is the event's JSON, the record key is the aggregate "
        "id. Type names carry the major version. JSON Schemas: `contracts/schemas/`; "
        "AsyncAPI documents per service: `docs/asyncapi/`.",
        "",
        "## Headers",
        "",
        "| header | required | meaning |",
        "|---|---|---|",
        *(
            f"| `{name}` | {'yes' if name in REQUIRED_CE_HEADERS else 'no'} | {_cell(text)} |"
            for name, text in CE_HEADERS.items()
        ),
        "",
    ]
    variants: dict[str, list[tuple[Schema, list[str]]]] = {}
    for topic in event_topics(registry):
        lines += [
            f"## {topic.name}",
            "",
            f"- key: {topic.key}",
            f"- partitions: {topic.partitions}",
            f"- retention: {topic.retention_days} days",
            f"- published by: {_service_names(services, topic, True)}",
            f"- consumed by: {_service_names(services, topic, False)}",
            "",
        ]
        if not topic.events:
            lines += ["_No events yet._", ""]
        for event_cls in topic.events:
            schema = snapshot(event_cls, registry)
            for name, definition in schema.get("$defs", {}).items():
                _add_variant(variants.setdefault(name, []), definition, event_cls.event_type)
            lines += [f"### {event_cls.event_type}", ""]
            description = _docstring(event_cls)
            if description:
                lines += [description, ""]
            lines += [
                f"Model `{event_cls.__module__}.{event_cls.__name__}`; "
                f"key field `{event_cls.key_field}`.",
                "",
            ]
            lines += _fields_table(schema)
    lines += superseded_section(registry)
    lines += budget_section(registry)
    lines += _dlq_section(registry)
    lines += _value_types(variants)
    return "\n".join(lines).rstrip("\n") + "\n"


def _add_variant(found: list[tuple[Schema, list[str]]], definition: Schema, user: str) -> None:
    for known, users in found:
        if known == definition:
            users.append(user)
            return
    found.append((definition, [user]))


def _value_types(variants: Mapping[str, list[tuple[Schema, list[str]]]]) -> list[str]:
    """Nested models and enums; a name two different models share is shown per variant."""
    if not variants:
        return []
    lines = ["## Value types", ""]
    for name in sorted(variants):
        lines += [f"### {name}", ""]
        for definition, users in variants[name]:
            if len(variants[name]) > 1:
                lines += [f"As used by {', '.join(f'`{u}`' for u in users)}:", ""]
            if definition.get("description"):
                lines += [" ".join(str(definition["description"]).split()), ""]
            if "properties" in definition:
                lines += _fields_table(definition)
            else:
                lines += [f"Type: {type_label(definition)}", ""]
    return lines


def _dlq_section(registry: Registry) -> list[str]:
    dlqs = [t for t in registry.topics if t.dlq_of is not None]
    if not dlqs:
        return []
    return [
        "## Dead-letter topics",
        "",
        "A record a service cannot handle (after bounded retries, or at once if it cannot "
        "be decoded) is copied to the service's DLQ with its original key, value and "
        "headers, plus these headers:",
        "",
        *(f"- `{name}`" for name in dlq.ALL),
        "",
        "| topic | service | partitions | retention |",
        "|---|---|---|---|",
        *(f"| {t.name} | {t.dlq_of} | {t.partitions} | {t.retention_days} days |" for t in dlqs),
        "",
    ]


def write_event_docs(registry: Registry, services: Mapping[str, ServiceSpec], path: Path) -> Path:
    """Write the event catalogue (docs/events.md)."""
    return _write(path, events_markdown(registry, services))


# --- AsyncAPI ----------------------------------------------------------------------------


def _channel_id(topic: Topic) -> str:
    return topic.name.replace(".", "_")


def _rewrite_refs(node: Any, names: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        result = {k: _rewrite_refs(v, names) for k, v in node.items()}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            result["$ref"] = f"#/components/schemas/{names[_ref_name(ref)]}"
        return result
    if isinstance(node, list):
        return [_rewrite_refs(v, names) for v in node]
    return node


def _hoist(schema: Schema, components: dict[str, Schema]) -> Schema:
    """Move `$defs` into components.schemas (renaming on clashes); return the rest."""
    defs: Schema = schema.get("$defs", {})
    same = {name: name for name in defs}
    names: dict[str, str] = {}
    for name, definition in defs.items():
        candidate, n = name, 1
        while candidate in components and components[candidate] != _rewrite_refs(definition, same):
            n += 1
            candidate = f"{name}{n}"
        names[name] = candidate
    for name, definition in defs.items():
        components.setdefault(names[name], _rewrite_refs(definition, names))
    body = {k: v for k, v in schema.items() if k != "$defs"}
    rewritten: Schema = _rewrite_refs(body, names)
    return rewritten


def _headers_schema(event_type: str | None) -> Schema:
    base: Schema = {"$ref": "#/components/schemas/CloudEventHeaders"}
    if event_type is None:
        return base
    return {"allOf": [base, {"type": "object", "properties": {"ce_type": {"const": event_type}}}]}


def _kafka_key(topic: Topic) -> Schema:
    return {
        "kafka": {
            "key": {"type": "string", "description": topic.key},
            "bindingVersion": KAFKA_BINDING_VERSION,
        }
    }


def _message(event_cls: type[Event], topic: Topic, payload_name: str) -> Schema:
    message: Schema = {
        "name": event_cls.event_type,
        "title": event_cls.__name__,
        "contentType": CONTENT_TYPE,
        "headers": _headers_schema(event_cls.event_type),
        "payload": {"$ref": f"#/components/schemas/{payload_name}"},
        "correlationId": {"$ref": "#/components/correlationIds/CorrelationId"},
        "bindings": _kafka_key(topic),
    }
    description = _docstring(event_cls)
    if description:
        message["summary"] = description
    return message


def _channel(topic: Topic, message_ids: Iterable[str]) -> Schema:
    return {
        "address": topic.name,
        "description": f"Key: {topic.key}.",
        "messages": {m: {"$ref": f"#/components/messages/{m}"} for m in message_ids},
        "bindings": {
            "kafka": {
                "topic": topic.name,
                "partitions": topic.partitions,
                "topicConfiguration": {"retention.ms": topic.retention_days * 86_400_000},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def asyncapi_document(registry: Registry, service: ServiceSpec) -> Schema:
    """The AsyncAPI 3.0.0 document of one service: what it sends and receives."""
    schemas: dict[str, Schema] = {
        "CloudEventHeaders": {
            "type": "object",
            "required": list(REQUIRED_CE_HEADERS),
            "properties": {
                name: {"type": "string", "description": text} for name, text in CE_HEADERS.items()
            },
        }
    }
    messages: dict[str, Schema] = {}
    channels: dict[str, Schema] = {}
    operations: dict[str, Schema] = {}
    plan = [(t, "send") for t in service.publishes] + [(t, "receive") for t in service.consumes]
    for topic, action in plan:
        cid = _channel_id(topic)
        events = topic.events
        for event_cls in events:
            if event_cls.event_type not in messages:
                payload = _hoist(snapshot(event_cls, registry), schemas)
                schemas[event_cls.event_type] = payload
                messages[event_cls.event_type] = _message(event_cls, topic, event_cls.event_type)
        ids = [e.event_type for e in events]
        channels[cid] = _channel(topic, ids)
        operation: Schema = {
            "action": action,
            "channel": {"$ref": f"#/channels/{cid}"},
            "messages": [{"$ref": f"#/channels/{cid}/messages/{m}"} for m in ids],
        }
        if action == "receive":
            operation["bindings"] = {
                "kafka": {
                    "groupId": {"type": "string", "enum": [f"mentornet-{service.name}"]},
                    "bindingVersion": KAFKA_BINDING_VERSION,
                }
            }
        operations[f"{action}_{cid}"] = operation
    dlq_topic = service.dlq
    dlq_cid = _channel_id(dlq_topic)
    messages["DeadLetter"] = {
        "name": "DeadLetter",
        "title": "A record this service could not handle",
        "summary": "The original key, value and headers, plus the dlq_* headers.",
        "headers": {
            "allOf": [
                _headers_schema(None),
                {
                    "type": "object",
                    "required": list(dlq.ALL),
                    "properties": {name: {"type": "string"} for name in dlq.ALL},
                },
            ]
        },
        "payload": {"description": "The original record value, unchanged (may not be JSON)."},
        "bindings": _kafka_key(dlq_topic),
    }
    channels[dlq_cid] = _channel(dlq_topic, ["DeadLetter"])
    operations[f"send_{dlq_cid}"] = {
        "action": "send",
        "channel": {"$ref": f"#/channels/{dlq_cid}"},
        "messages": [{"$ref": f"#/channels/{dlq_cid}/messages/DeadLetter"}],
    }
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": f"MentorNet {service.name}",
            "version": "1.0.0",
            "description": service.summary,
        },
        "defaultContentType": CONTENT_TYPE,
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": schemas,
            "messages": messages,
            "correlationIds": {
                "CorrelationId": {
                    "description": "Shared by every event of one causal chain.",
                    "location": "$message.header#/ce_correlationid",
                }
            },
        },
    }


def write_asyncapi(
    registry: Registry, services: Mapping[str, ServiceSpec], docs_dir: Path
) -> list[Path]:
    """Write docs/asyncapi/<service>.json for every service; `docs_dir` is `docs/`."""
    return [
        _write(docs_dir / "asyncapi" / f"{name}.json", render(asyncapi_document(registry, spec)))
        for name, spec in sorted(services.items())
    ]
