"""Is a new JSON Schema of an event a compatible evolution of the committed one?

Pure functions over plain dicts, so the rules can be tested with hand-written schemas.

Incompatible (a v2 is needed): a field removed or renamed, a field's type changed or
narrowed (including `$ref` targets, followed recursively into `$defs`), a new required
field, an optional field made required, an enum value removed, a tightened constraint
(length, range, item count, pattern, format), a changed topic or key field.

Compatible (stays in v1): a new optional field, a new enum value, a widened type
(e.g. nullable), a loosened constraint, description, title, example and default changes.
"""

from __future__ import annotations

import json
from typing import Any

Schema = dict[str, Any]
Finding = tuple[str, str]
"""(path, reason); path is like `goals[].target_skills[].level`, `$` for the event itself."""

ROOT = "$"
_UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
_LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")
_UNIONS = ("anyOf", "oneOf")
_EVENT_ATTRIBUTES = (("x-topic", "topic"), ("x-key-field", "key field"))
_REF = "x-resolved-ref"


def compare(old_schema: Schema, new_schema: Schema) -> list[str]:
    """Every incompatibility of `new_schema` against `old_schema`, as `path: reason` lines."""
    return [f"{path}: {reason}" for path, reason in findings(old_schema, new_schema)]


def findings(old_schema: Schema, new_schema: Schema) -> list[Finding]:
    """Every incompatibility of `new_schema` against `old_schema`, as (path, reason)."""
    result: list[Finding] = []
    for key, label in _EVENT_ATTRIBUTES:
        old_value, new_value = old_schema.get(key), new_schema.get(key)
        if old_value is not None and old_value != new_value:
            result.append((ROOT, f"{label} changed from {old_value!r} to {new_value!r}"))
    _Comparison(old_schema, new_schema, result).node(old_schema, new_schema, "")
    return result


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


def _accepts(new_type: str, old_type: str) -> bool:
    return new_type in (old_type, "any") or (new_type == "number" and old_type == "integer")


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
    """One comparison; holds both roots so `$ref`s resolve against their own document."""

    def __init__(self, old_root: Schema, new_root: Schema, out: list[Finding]) -> None:
        self.old_root = old_root
        self.new_root = new_root
        self.out = out
        self.active: set[tuple[str, str]] = set()

    def node(self, old: Schema, new: Schema, path: str) -> None:
        old_branches = self._branches(old, self.old_root, set())
        new_branches = self._branches(new, self.new_root, set())
        if any(_type(b) == "any" and not _enum(b) for b in new_branches):
            return
        for old_branch in old_branches:
            self._branch(old_branch, new_branches, path)

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

    def _branch(self, old: Schema, new_branches: list[Schema], path: str) -> None:
        candidates = [n for n in new_branches if _accepts(_type(n), _type(old))]
        if not candidates:
            old_label = _label(old)
            new_label = "|".join(dict.fromkeys(_label(n) for n in new_branches))
            reason = (
                f"no longer accepts null (now {new_label})"
                if old_label == "null"
                else f"type changed from {old_label} to {new_label}"
            )
            self.out.append((_where(path), reason))
            return
        tags = _tags(old)
        if tags and len(new_branches) > 1:
            tagged = [n for n in candidates if tags & _tags(n)]
            if not tagged:
                member = old.get("title") or ", ".join(f"{k}={v}" for k, v in sorted(tags))
                self.out.append((_where(path), f"union member {member} removed"))
                return
            candidates = tagged
        best: list[Finding] | None = None
        for candidate in candidates:
            trial: list[Finding] = []
            _Trial(self, trial).single(old, candidate, path)
            if not trial:
                return
            if best is None or len(trial) < len(best):
                best = trial
        assert best is not None
        self.out.extend(best)

    def single(self, old: Schema, new: Schema, path: str) -> None:
        """Compare two single-type branches whose types are compatible."""
        pair = (str(old.get(_REF)), str(new.get(_REF)))
        if _REF in old and _REF in new:
            if pair in self.active:
                return  # a recursive model: this pair is already being compared further up
            self.active.add(pair)
        try:
            self._enum_values(old, new, path)
            self._constraints(old, new, path)
            kind = _type(old)
            if kind == "object":
                self._object(old, new, path)
            elif kind == "array":
                self._array(old, new, path)
        finally:
            self.active.discard(pair)

    def _enum_values(self, old: Schema, new: Schema, path: str) -> None:
        old_values, new_values = _enum(old), _enum(new)
        if new_values is None:
            return
        if old_values is None:
            allowed = ", ".join(repr(v) for v in new_values)
            self.out.append((_where(path), f"now restricted to the values {allowed}"))
            return
        new_set = {_canonical(v) for v in new_values}
        removed = [v for v in old_values if _canonical(v) not in new_set]
        if removed:
            names = ", ".join(repr(v) for v in removed)
            self.out.append((_where(path), f"enum value(s) removed: {names}"))

    def _constraints(self, old: Schema, new: Schema, path: str) -> None:
        where = _where(path)
        for key in _UPPER_BOUNDS:
            if key in new and (key not in old or new[key] < old[key]):
                self.out.append((where, f"{key} tightened from {old.get(key)} to {new[key]}"))
        for key in _LOWER_BOUNDS:
            if key in new and (key not in old or new[key] > old[key]):
                self.out.append((where, f"{key} tightened from {old.get(key)} to {new[key]}"))
        for key in ("pattern", "format"):
            if key in new and new[key] != old.get(key):
                self.out.append((where, f"{key} changed from {old.get(key)!r} to {new[key]!r}"))

    def _object(self, old: Schema, new: Schema, path: str) -> None:
        old_props: Schema = old.get("properties", {})
        new_props: Schema = new.get("properties", {})
        old_required = set(old.get("required", ()))
        new_required = set(new.get("required", ()))
        free_form = "properties" not in new and new.get("additionalProperties") is not False
        for name, old_prop in old_props.items():
            where = _join(path, name)
            if name not in new_props:
                if not free_form:
                    self.out.append((where, "field removed or renamed"))
                continue
            if name in new_required and name not in old_required:
                self.out.append((where, "optional field made required"))
            self.node(old_prop, new_props[name], where)
        for name in new_props:
            if name not in old_props and name in new_required:
                self.out.append((_join(path, name), "new required field"))
        old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_extra, dict):
            if new_extra is False:
                self.out.append((_where(path), "additional properties no longer allowed"))
            elif isinstance(new_extra, dict):
                self.node(old_extra, new_extra, f"{path}{{}}")

    def _array(self, old: Schema, new: Schema, path: str) -> None:
        old_prefix: list[Schema] = old.get("prefixItems", [])
        new_prefix: list[Schema] = new.get("prefixItems", [])
        for index, old_item in enumerate(old_prefix):
            if index < len(new_prefix):
                self.node(old_item, new_prefix[index], f"{path}[{index}]")
        if len(old_prefix) != len(new_prefix):
            self.out.append(
                (_where(path), f"tuple length changed from {len(old_prefix)} to {len(new_prefix)}")
            )
        old_items, new_items = old.get("items"), new.get("items")
        if isinstance(old_items, dict) and isinstance(new_items, dict):
            self.node(old_items, new_items, f"{path}[]")
        elif isinstance(new_items, dict) and not old_prefix:
            self.node({}, new_items, f"{path}[]")


class _Trial(_Comparison):
    """A trial comparison against one union branch; collects its findings separately."""

    def __init__(self, parent: _Comparison, out: list[Finding]) -> None:
        super().__init__(parent.old_root, parent.new_root, out)
        self.active = set(parent.active)
