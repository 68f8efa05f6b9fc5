"""Is a new JSON Schema of an event a compatible evolution of the committed one?

Pure functions over plain dicts, so the rules can be tested with hand-written schemas.

Producers and consumers upgrade independently, so a change must work both ways:
consumers on the new schema read records written under the old one (*backward*), and
consumers still on the old schema read records written under the new one (*forward*).
Consumers are tolerant readers: they ignore fields they do not know. That leaves:

Compatible (stays in v1): a new optional field; description, title, example and
default changes; writing out a bound that was already implied (a fixed-width pattern,
an enum, keys from an enum: see bounds.py).

Incompatible (a v2 with an upcaster is needed): a field removed or renamed; a new
required field; an optional field made required or a required one made optional; a
type changed, narrowed or widened (nullable included; `$ref` targets followed into
`$defs`); an enum value removed or added; a constraint tightened or loosened (length,
range, item count, pattern, format); a changed topic or key field.
"""

from __future__ import annotations

import json
from typing import Any

from .bounds import array_max, object_max, string_max

Schema = dict[str, Any]
Finding = tuple[str, str]
"""(path, reason); path is like `goals[].target_skills[].level`, `$` for the event itself."""

ROOT = "$"
OLDER = "readers on the older version refuse them"
_UNIONS = ("anyOf", "oneOf")
_EVENT_ATTRIBUTES = (("x-topic", "topic"), ("x-key-field", "key field"))
_REF = "x-resolved-ref"


def compare(old_schema: Schema, new_schema: Schema) -> list[str]:
    """Every incompatibility of `new_schema` against `old_schema`, as `path: reason` lines."""
    return [f"{path}: {reason}" for path, reason in findings(old_schema, new_schema)]


def findings(old_schema: Schema, new_schema: Schema) -> list[Finding]:
    """Every incompatibility of `new_schema` against `old_schema`, as (path, reason):
    first what new readers cannot read of old records, then what old readers cannot
    read of new records (at paths not already reported)."""
    result: list[Finding] = []
    for key, label in _EVENT_ATTRIBUTES:
        old_value, new_value = old_schema.get(key), new_schema.get(key)
        if old_value is not None and old_value != new_value:
            result.append((ROOT, f"{label} changed from {old_value!r} to {new_value!r}"))
    _Comparison(old_schema, new_schema, result, forward=False).node(old_schema, new_schema, "")
    forward: list[Finding] = []
    _Comparison(new_schema, old_schema, forward, forward=True).node(new_schema, old_schema, "")
    reported = {path for path, _ in result}
    return result + [f for f in forward if f[0] not in reported]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _where(path: str) -> str:
    return path or ROOT


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _enum(node: Schema) -> list[Any] | None:
    if "const" in node:
        return [node["const"]]
    values = node.get("enum")
    return list(values) if isinstance(values, list) else None


def _type(node: Schema) -> str:
    """The single JSON type of a branch (unions are split before this is asked)."""
    declared = node.get("type")
    if isinstance(declared, str):
        return declared
    values = _enum(node)
    if values:
        kinds = {_json_type(v) for v in values}
        return kinds.pop() if len(kinds) == 1 else "any"
    if "properties" in node:
        return "object"
    if "items" in node or "prefixItems" in node:
        return "array"
    return "any"


def _accepts(reader_type: str, writer_type: str) -> bool:
    return reader_type in (writer_type, "any") or (
        reader_type == "number" and writer_type == "integer"
    )


def _label(node: Schema) -> str:
    kind = _type(node)
    if kind == "string" and "format" in node:
        return f"string({node['format']})"
    return kind


def _tags(node: Schema) -> set[tuple[str, str]]:
    """Properties with one fixed value: the discriminators of a tagged union member."""
    result: set[tuple[str, str]] = set()
    for name, prop in node.get("properties", {}).items():
        values = _enum(prop) if isinstance(prop, dict) else None
        if values is not None and len(values) == 1:
            result.add((name, _canonical(values[0])))
    return result


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


class _Comparison:
    """Can a reader on one schema read every record written under the other?

    `forward=False`: the writer is the old schema and the reader the new one;
    `forward=True`: the writer is the new schema and the reader the old one. Reasons
    are always worded as what the new schema changed. Holds both roots, so `$ref`s
    resolve against their own document."""

    def __init__(
        self, writer_root: Schema, reader_root: Schema, out: list[Finding], *, forward: bool
    ) -> None:
        self.writer_root = writer_root
        self.reader_root = reader_root
        self.out = out
        self.forward = forward
        self.active: set[tuple[str, str]] = set()

    def node(self, writer: Schema, reader: Schema, path: str) -> None:
        writer_branches = self._branches(writer, self.writer_root, set())
        reader_branches = self._branches(reader, self.reader_root, set())
        if any(_type(b) == "any" and not _enum(b) for b in reader_branches):
            return
        for branch in writer_branches:
            self._branch(branch, reader_branches, path)

    def _branches(self, node: Schema, root: Schema, refs: set[str]) -> list[Schema]:
        """Follow `$ref`s and flatten unions and type lists into single-type branches."""
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in refs:
                raise ValueError(f"$ref {ref!r} refers to itself")
            resolved = self._branches(self._resolve(ref, root), root, refs | {ref})
            return [b if _REF in b else {**b, _REF: ref} for b in resolved]
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            return self._branches(all_of[0], root, refs)
        for key in _UNIONS:
            if isinstance(node.get(key), list):
                return [b for sub in node[key] for b in self._branches(sub, root, refs)]
        if isinstance(node.get("type"), list):
            return [{**node, "type": t} for t in node["type"]]
        return [node]

    @staticmethod
    def _resolve(ref: str, root: Schema) -> Schema:
        if not ref.startswith("#/"):
            raise ValueError(f"only local $refs are supported, not {ref!r}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        if not isinstance(target, dict):
            raise ValueError(f"$ref {ref!r} does not point at a schema")
        return target

    def _branch(self, writer: Schema, reader_branches: list[Schema], path: str) -> None:
        candidates = [r for r in reader_branches if _accepts(_type(r), _type(writer))]
        if not candidates:
            self.out.append((_where(path), self._type_reason(writer, reader_branches)))
            return
        tags = _tags(writer)
        if tags and len(reader_branches) > 1:
            tagged = [r for r in candidates if tags & _tags(r)]
            if not tagged:
                member = writer.get("title") or ", ".join(f"{k}={v}" for k, v in sorted(tags))
                change = f"added, which {OLDER}" if self.forward else "removed"
                self.out.append((_where(path), f"union member {member} {change}"))
                return
            candidates = tagged
        best: list[Finding] | None = None
        for candidate in candidates:
            trial: list[Finding] = []
            _Trial(self, trial).single(writer, candidate, path)
            if not trial:
                return
            if best is None or len(trial) < len(best):
                best = trial
        assert best is not None
        self.out.extend(best)

    def _type_reason(self, writer: Schema, reader_branches: list[Schema]) -> str:
        writer_label = _label(writer)
        reader_label = "|".join(dict.fromkeys(_label(r) for r in reader_branches))
        if self.forward:
            if writer_label == "null":
                return f"now accepts null, which {OLDER}"
            return f"widened from {reader_label} to accept {writer_label}, which {OLDER}"
        if writer_label == "null":
            return f"no longer accepts null (now {reader_label})"
        return f"type changed from {writer_label} to {reader_label}"

    def single(self, writer: Schema, reader: Schema, path: str) -> None:
        """Compare two single-type branches whose types are compatible."""
        pair = (str(writer.get(_REF)), str(reader.get(_REF)))
        if _REF in writer and _REF in reader:
            if pair in self.active:
                return  # a recursive model: this pair is already being compared further up
            self.active.add(pair)
        try:
            self._enum_values(writer, reader, path)
            self._constraints(writer, reader, path)
            kind = _type(writer)
            if kind == "object":
                self._object(writer, reader, path)
            elif kind == "array":
                self._array(writer, reader, path)
        finally:
            self.active.discard(pair)

    def _enum_values(self, writer: Schema, reader: Schema, path: str) -> None:
        writer_values, reader_values = _enum(writer), _enum(reader)
        if reader_values is None:
            return
        if writer_values is None:
            allowed = ", ".join(repr(v) for v in reader_values)
            reason = (
                f"no longer restricted to the values {allowed}; {OLDER}"
                if self.forward
                else f"now restricted to the values {allowed}"
            )
            self.out.append((_where(path), reason))
            return
        known = {_canonical(v) for v in reader_values}
        unknown = [v for v in writer_values if _canonical(v) not in known]
        if unknown:
            names = ", ".join(repr(v) for v in unknown)
            reason = (
                f"enum value(s) added: {names}; {OLDER}"
                if self.forward
                else f"enum value(s) removed: {names}"
            )
            self.out.append((_where(path), reason))

    def _bounds(self, node: Schema, root: Schema) -> dict[str, Any]:
        """Upper bounds as they take effect (bounds.py), lower bounds as written."""
        kind = _type(node)
        result: dict[str, Any] = {
            key: node[key] for key in ("maximum", "exclusiveMaximum", *_LOWER_BOUNDS) if key in node
        }
        upper: tuple[str, int | None] | None = None
        if kind == "string":
            upper = ("maxLength", string_max(node))
        elif kind == "array":
            upper = ("maxItems", array_max(node))
        elif kind == "object":
            upper = ("maxProperties", object_max(node, root))
        if upper is not None and upper[1] is not None:
            result[upper[0]] = upper[1]
        return result

    def _constraints(self, writer: Schema, reader: Schema, path: str) -> None:
        where = _where(path)
        have = self._bounds(writer, self.writer_root)
        limit = self._bounds(reader, self.reader_root)
        enums = _enum(writer) is not None or _enum(reader) is not None
        for key, value in limit.items():
            if enums and key == "maxLength":
                continue  # the enum values themselves are compared
            upper = key not in _LOWER_BOUNDS
            narrower = key not in have or (value < have[key] if upper else value > have[key])
            if not narrower:
                continue
            if self.forward:
                loosened = f"{key} loosened from {value} to {have.get(key)}; {OLDER}"
                self.out.append((where, loosened))
            else:
                self.out.append((where, f"{key} tightened from {have.get(key)} to {value}"))
        for key in ("pattern", "format"):
            if key in reader and reader[key] != writer.get(key):
                before, after = (writer.get(key), reader[key])
                if self.forward:
                    before, after = after, before
                self.out.append((where, f"{key} changed from {before!r} to {after!r}"))

    def _object(self, writer: Schema, reader: Schema, path: str) -> None:
        writer_props: Schema = writer.get("properties", {})
        reader_props: Schema = reader.get("properties", {})
        writer_required = set(writer.get("required", ()))
        reader_required = set(reader.get("required", ()))
        free_form = "properties" not in reader and reader.get("additionalProperties") is not False
        for name, writer_prop in writer_props.items():
            where = _join(path, name)
            if name not in reader_props:
                if not free_form and not self.forward:
                    self.out.append((where, "field removed or renamed"))
                continue
            if name in reader_required and name not in writer_required:
                reason = (
                    "required field made optional; readers on the older version need it"
                    if self.forward
                    else "optional field made required"
                )
                self.out.append((where, reason))
            self.node(writer_prop, reader_props[name], where)
        if not self.forward:
            for name in reader_props:
                if name not in writer_props and name in reader_required:
                    self.out.append((_join(path, name), "new required field"))
        writer_extra = writer.get("additionalProperties")
        reader_extra = reader.get("additionalProperties")
        if isinstance(writer_extra, dict):
            if reader_extra is False:
                self.out.append((_where(path), "additional properties no longer allowed"))
            elif isinstance(reader_extra, dict):
                self.node(writer_extra, reader_extra, f"{path}{{}}")

    def _array(self, writer: Schema, reader: Schema, path: str) -> None:
        writer_prefix: list[Schema] = writer.get("prefixItems", [])
        reader_prefix: list[Schema] = reader.get("prefixItems", [])
        for index, item in enumerate(writer_prefix):
            if index < len(reader_prefix):
                self.node(item, reader_prefix[index], f"{path}[{index}]")
        if len(writer_prefix) != len(reader_prefix):
            before, after = len(writer_prefix), len(reader_prefix)
            if self.forward:
                before, after = after, before
            self.out.append((_where(path), f"tuple length changed from {before} to {after}"))
        writer_items, reader_items = writer.get("items"), reader.get("items")
        if isinstance(writer_items, dict) and isinstance(reader_items, dict):
            self.node(writer_items, reader_items, f"{path}[]")
        elif isinstance(reader_items, dict) and not writer_prefix:
            self.node({}, reader_items, f"{path}[]")


_LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")


class _Trial(_Comparison):
    """A trial comparison against one union branch; collects its findings separately."""

    def __init__(self, parent: _Comparison, out: list[Finding]) -> None:
        super().__init__(parent.writer_root, parent.reader_root, out, forward=parent.forward)
        self.active = set(parent.active)
