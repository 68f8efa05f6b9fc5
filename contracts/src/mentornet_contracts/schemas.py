"""JSON Schema snapshots of every event version, and the check that keeps them honest.

`contracts/schemas/<event_type>.json` is the committed contract of one event version.
`write_snapshots` adds snapshots for new versions and takes compatible changes (new
optional fields, wording); it refuses to rewrite a snapshot incompatibly. `check`
compares every snapshot with the code: a change that is not compatible needs a new
major version (`.v2`) with an upcaster, never an edit of `.v1`. A superseded version's
snapshot stays as it was, the contract of the records still written under it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .compat import ROOT, Schema, findings
from .event import Event
from .registry import Registry

SNAPSHOT_SUFFIX = ".json"


@dataclass(frozen=True)
class Incompatibility:
    """One reason the code no longer honours a committed event contract."""

    event_type: str
    path: str
    reason: str

    def line(self) -> str:
        return f"INCOMPATIBLE {self.event_type} {self.path}: {self.reason}"


class SnapshotConflictError(Exception):
    """`write_snapshots` refused: the code changed a committed event incompatibly."""

    def __init__(self, incompatibilities: list[Incompatibility]) -> None:
        super().__init__("; ".join(i.line() for i in incompatibilities))
        self.incompatibilities = incompatibilities


def snapshot(event_cls: type[Event], registry: Registry | None = None) -> Schema:
    """The event's validation JSON Schema, tagged with its type, topic and key field.

    Readers ignore fields they do not know (codec.py), so the schema does not say
    `additionalProperties: false`: a producer may add optional fields (compat.py)."""
    if registry is None:
        from .catalogue import REGISTRY

        registry = REGISTRY
    schema: Schema = _open_objects(event_cls.model_json_schema(mode="validation"))
    schema["x-event-type"] = event_cls.event_type
    schema["x-topic"] = registry.topic_of(event_cls).name
    schema["x-key-field"] = event_cls.key_field
    return schema


def _open_objects(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: _open_objects(value)
            for key, value in node.items()
            if not (key == "additionalProperties" and value is False)
        }
    if isinstance(node, list):
        return [_open_objects(item) for item in node]
    return node


def render(schema: Schema) -> str:
    """The committed text of a snapshot: sorted keys, indent 2, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def snapshot_path(schemas_dir: Path, event_type: str) -> Path:
    return schemas_dir / f"{event_type}{SNAPSHOT_SUFFIX}"


def load_snapshots(schemas_dir: Path) -> dict[str, Schema]:
    """Committed snapshots by event type (the file name without `.json`)."""
    result: dict[str, Schema] = {}
    if not schemas_dir.is_dir():
        return result
    for path in sorted(schemas_dir.glob(f"*{SNAPSHOT_SUFFIX}")):
        loaded: Any = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(loaded, dict):
            raise ValueError(f"{path} does not hold a JSON object")
        result[path.name.removesuffix(SNAPSHOT_SUFFIX)] = loaded
    return result


def _incompatibilities(event_type: str, old: Schema, new: Schema) -> list[Incompatibility]:
    return [Incompatibility(event_type, path, reason) for path, reason in findings(old, new)]


def write_snapshots(registry: Registry, schemas_dir: Path) -> list[Path]:
    """Write snapshots of new event versions and compatible updates; return what changed.

    Writes nothing and raises `SnapshotConflictError` if any event changed incompatibly.
    Snapshots of versions no longer in the code are left in place (`check` reports them).
    """
    committed = load_snapshots(schemas_dir)
    pending: list[tuple[Path, str]] = []
    conflicts: list[Incompatibility] = []
    for event_cls in registry.event_classes():
        event_type = event_cls.event_type
        current = snapshot(event_cls, registry)
        path = snapshot_path(schemas_dir, event_type)
        old = committed.get(event_type)
        if old is not None:
            conflicts.extend(_incompatibilities(event_type, old, current))
        text = render(current)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            pending.append((path, text))
    if conflicts:
        raise SnapshotConflictError(conflicts)
    schemas_dir.mkdir(parents=True, exist_ok=True)
    for path, text in pending:
        path.write_text(text, encoding="utf-8")
    return [path for path, _ in pending]


def check(registry: Registry, schemas_dir: Path) -> list[Incompatibility]:
    """Compare every committed snapshot with the code; empty means compatible."""
    committed = load_snapshots(schemas_dir)
    current = set(registry.event_types())
    result: list[Incompatibility] = []
    for event_type in sorted(committed.keys() | current):
        if event_type not in current and registry.superseded_by(event_type) is not None:
            continue  # no longer written; read through its upcaster (test_upcasting.py reads it)
        if event_type not in current:
            result.append(
                Incompatibility(
                    event_type,
                    ROOT,
                    "event version removed from code (its snapshot is committed; consumers "
                    "may still receive it)",
                )
            )
        elif event_type not in committed:
            result.append(
                Incompatibility(
                    event_type,
                    ROOT,
                    "snapshot missing: run `mentornet contracts docs` and commit "
                    f"{snapshot_path(Path('contracts/schemas'), event_type)}",
                )
            )
        else:
            new = snapshot(registry.event_class(event_type), registry)
            result.extend(_incompatibilities(event_type, committed[event_type], new))
    return result
