"""How long a string, list or map in a JSON Schema can be: its *effective* bound.

A bound can be written out (`maxLength`, `maxItems`, `maxProperties`) or follow from
other keywords: a pattern anchored at both ends whose every branch has a fixed width
(`^[a-z]{2}$` is at most 2 characters), an enum, keys restricted to an enum, a format
of fixed width. The compatibility check compares effective bounds, so writing out a
bound that was already implied is not a change; `unbounded` lists every string, list
and map with no bound at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _parser as _re_parser
from typing import Any

Schema = dict[str, Any]

FORMAT_WIDTHS = {"date": 10, "uuid": 36}
"""Formats whose every valid string has a fixed length."""
OUTPUT_WIDTHS = {**FORMAT_WIDTHS, "date-time": 32, "time": 21, "email": 254}
"""The longest string each format takes in practice: a date-time as pydantic writes it
(`2026-12-31T23:59:59.999999+00:00`), an e-mail address as RFC 5321 allows it. Used to
say a field is bounded and to size the largest instance of an event."""


def resolve(node: Schema, root: Schema) -> Schema:
    """Follow `$ref`s (local ones) and single-member `allOf`s to the schema they name."""
    seen: set[str] = set()
    while True:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and ref not in seen:
            seen.add(ref)
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            continue
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            node = all_of[0]
            continue
        return node


def pattern_width(pattern: str) -> int | None:
    """The longest string `pattern` matches when it is anchored at both ends (`^...$`)
    and has no unbounded repetition; None otherwise."""
    try:
        parsed = _re_parser.parse(pattern)
    except re.error:
        return None
    items = list(parsed)
    anchored = (
        len(items) >= 2
        and items[0] == (_re_parser.AT, _re_parser.AT_BEGINNING)
        and items[-1] == (_re_parser.AT, _re_parser.AT_END)
    )
    if not anchored:
        return None
    widest = int(parsed.getwidth()[1])
    return None if widest >= _re_parser.MAXREPEAT else widest


def _enum_values(node: Schema) -> list[Any] | None:
    if "const" in node:
        return [node["const"]]
    values = node.get("enum")
    return list(values) if isinstance(values, list) else None


def _least(*bounds: int | None) -> int | None:
    known = [b for b in bounds if b is not None]
    return min(known) if known else None


def string_max(node: Schema, *, output: bool = False) -> int | None:
    """The longest string `node` accepts, in characters, or None if unbounded.
    `output`: count formats by the longest value they take in practice."""
    values = _enum_values(node)
    enum_width = max(len(str(v)) for v in values) if values else None
    pattern = node.get("pattern")
    widths = OUTPUT_WIDTHS if output else FORMAT_WIDTHS
    return _least(
        node.get("maxLength"),
        pattern_width(pattern) if isinstance(pattern, str) else None,
        enum_width,
        widths.get(str(node.get("format"))),
    )


def array_max(node: Schema) -> int | None:
    """The most items `node` accepts, or None if unbounded."""
    prefix = node.get("prefixItems")
    fixed = len(prefix) if isinstance(prefix, list) and node.get("items") is False else None
    return _least(node.get("maxItems"), fixed)


def key_enum(node: Schema, root: Schema) -> list[Any] | None:
    """The values a map's keys are restricted to (`propertyNames` naming an enum)."""
    names = node.get("propertyNames")
    if not isinstance(names, dict):
        return None
    return _enum_values(resolve(names, root))


def object_max(node: Schema, root: Schema) -> int | None:
    """The most entries a map (`additionalProperties`) accepts, or None if unbounded."""
    keys = key_enum(node, root)
    return _least(node.get("maxProperties"), len(keys) if keys is not None else None)


def _branches(node: Schema, root: Schema) -> list[Schema]:
    node = resolve(node, root)
    for key in ("anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            return [b for sub in node[key] for b in _branches(sub, root)]
    return [node]


def unbounded(schema: Schema, root: Schema | None = None, *, output: bool = True) -> list[str]:
    """Every string, list and map in `schema` without a bound, as `path: kind` lines."""
    return [f"{path or '$'}: {kind}" for path, kind in _walk(schema, root or schema, "", output)]


def _walk(node: Schema, root: Schema, path: str, output: bool) -> Iterator[tuple[str, str]]:
    for branch in _branches(node, root):
        yield from _walk_branch(branch, root, path, output)


def _walk_branch(node: Schema, root: Schema, path: str, output: bool) -> Iterator[tuple[str, str]]:
    kind = node.get("type")
    if kind == "string" and string_max(node, output=output) is None:
        yield path, "string without maxLength"
    elif kind == "array":
        if array_max(node) is None:
            yield path, "array without maxItems"
        if isinstance(node.get("items"), dict):
            yield from _walk(node["items"], root, f"{path}[]", output)
        for index, item in enumerate(node.get("prefixItems") or ()):
            yield from _walk(item, root, f"{path}[{index}]", output)
    elif kind == "object" or "properties" in node:
        for name, prop in (node.get("properties") or {}).items():
            yield from _walk(prop, root, f"{path}.{name}" if path else name, output)
        extra = node.get("additionalProperties")
        if extra is True or (extra is None and not node.get("properties")):
            yield path, "free-form object"
        if isinstance(extra, dict):
            if object_max(node, root) is None:
                yield path, "map without maxProperties"
            names = node.get("propertyNames")
            if isinstance(names, dict) and key_enum(node, root) is None:
                yield from _walk(names, root, f"{path}{{key}}", output)
            elif names is None:
                yield f"{path}{{key}}", "map keys without maxLength"
            yield from _walk(extra, root, f"{path}{{}}", output)
