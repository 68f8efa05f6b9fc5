"""`mentornet events trace CORRELATION_ID`: every event of one chain, as the tree its
causation ids make (an event caused by itself, ce_causationid == ce_id, is a root)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from mentornet_chassis.process.settings import KafkaSettings
from mentornet_contracts.codec import source_of

from mentornet_tooling.operator.reading import event_topic_names, reader
from mentornet_tooling.operator.records import Seen

SOURCE_PREFIX = source_of("")


def service_of(source: str) -> str:
    """`/mentornet/intake` -> `intake`; any other source as it is."""
    return source.removeprefix(SOURCE_PREFIX) if source.startswith(SOURCE_PREFIX) else source


@dataclass
class Node:
    seen: Seen
    children: list[Node] = field(default_factory=list)
    copies: int = 1
    orphan: bool = False

    @property
    def id(self) -> str:
        return self.seen.header("ce_id") or self.seen.where

    @property
    def cause(self) -> str:
        return self.seen.header("ce_causationid") or self.id

    def describe(self) -> str:
        s = self.seen
        text = (
            f"{s.time}  {service_of(s.header('ce_source')):<9}  {s.header('ce_type')}  "
            f"{s.header('ce_subject') or s.key}"
        )
        if self.orphan:
            text += f"  (cause {self.cause} not found)"
        return text + (f"  (seen {self.copies} times)" if self.copies > 1 else "")

    def as_json(self) -> dict[str, Any]:
        s = self.seen
        return {
            "id": self.id,
            "causation_id": self.cause,
            "time": s.time,
            "service": service_of(s.header("ce_source")),
            "type": s.header("ce_type"),
            "subject": s.header("ce_subject") or s.key,
            "topic": s.topic,
            "partition": s.partition,
            "offset": s.offset,
            "copies": self.copies,
            "children": [child.as_json() for child in self.children],
        }


def _reach(roots: Iterable[Node]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        node = todo.pop()
        if node.id not in seen:
            seen.add(node.id)
            todo.extend(node.children)
    return seen


def build(records: Iterable[Seen]) -> list[Node]:
    """The roots of the chain, children in time order; a replayed event is one node."""
    nodes: dict[str, Node] = {}
    for seen in sorted(records, key=lambda s: (s.time, s.topic, s.partition, s.offset)):
        node = Node(seen)
        if node.id in nodes:
            nodes[node.id].copies += 1
        else:
            nodes[node.id] = node
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.cause) if node.cause != node.id else None
        node.orphan = node.cause != node.id and parent is None
        (parent.children if parent is not None else roots).append(node)
    reached = _reach(roots)
    for node in nodes.values():
        if node.id not in reached:  # a causation cycle: cut it at its earliest event
            nodes[node.cause].children.remove(node)
            roots.append(node)
            reached |= _reach([node])
    return roots


def tree_lines(roots: list[Node]) -> list[str]:
    lines: list[str] = []

    def visit(node: Node, branch: str, indent: str) -> None:
        lines.append(branch + node.describe())
        for i, child in enumerate(node.children):
            last = i == len(node.children) - 1
            visit(child, indent + ("└─ " if last else "├─ "), indent + ("   " if last else "│  "))

    for root in roots:
        visit(root, "", "")
    return lines


def belongs(seen: Seen, correlation_id: str) -> bool:
    """A record without ce_correlationid starts its own chain (as the codec reads it)."""
    return (seen.header("ce_correlationid") or seen.header("ce_id")) == correlation_id


async def trace(
    settings: KafkaSettings,
    correlation_id: str,
    *,
    as_json: bool,
    timeout_s: float,
    out: TextIO,
    err: TextIO,
) -> int:
    topics = event_topic_names()
    async with reader(settings, topics) as source:
        await source.from_beginning()
        found = [s async for s in source.until_end(timeout_s) if belongs(s, correlation_id)]
    if not found:
        print(
            f"trace: no event has correlation id {correlation_id!r} on {', '.join(topics)}",
            file=err,
        )
        return 1
    roots = build(found)
    if as_json:
        doc = {
            "correlation_id": correlation_id,
            "events": len(found),
            "roots": [r.as_json() for r in roots],
        }
        print(json.dumps(doc, ensure_ascii=False), file=out)
    else:
        print(f"correlation {correlation_id}: {len(found)} events", file=out)
        print("\n".join(tree_lines(roots)), file=out)
    return 0
