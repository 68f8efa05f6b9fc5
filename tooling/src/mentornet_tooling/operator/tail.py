"""`mentornet events tail`: follow event topics (or read them from the beginning), filtered
by type, subject or correlation id, printed for people or as one JSON object a line."""

from __future__ import annotations

import asyncio
import json
import re
import textwrap
from contextlib import aclosing
from dataclasses import dataclass
from typing import TextIO

from mentornet_chassis.process.settings import KafkaSettings
from mentornet_contracts.catalogue import REGISTRY

from mentornet_tooling.operator.reading import reader
from mentornet_tooling.operator.records import Seen

TYPE_PREFIX = "mentornet."
VERSIONED = re.compile(r"\.v[0-9]+$")


def type_matches(wanted: str, actual: str) -> bool:
    """`match.proposed` and `mentornet.match.proposed` match every version of the type;
    `mentornet.match.proposed.v2` (or `match.proposed.v2`) only that version."""
    full = wanted if wanted.startswith(TYPE_PREFIX) else TYPE_PREFIX + wanted
    if VERSIONED.search(full):
        return full == actual
    return VERSIONED.sub("", actual) == full


def unknown_types(wanted: tuple[str, ...]) -> list[str]:
    """The wanted types no event type in the contracts matches (probably typos)."""
    known = REGISTRY.event_types()
    return [w for w in wanted if not any(type_matches(w, t) for t in known)]


@dataclass(frozen=True)
class Filter:
    types: tuple[str, ...] = ()
    subject: str | None = None
    correlation_id: str | None = None

    def matches(self, seen: Seen) -> bool:
        if self.types and not any(type_matches(t, seen.header("ce_type")) for t in self.types):
            return False
        if self.subject is not None and self.subject not in (seen.header("ce_subject"), seen.key):
            return False
        return self.correlation_id is None or seen.header("ce_correlationid") == (
            self.correlation_id
        )


@dataclass(frozen=True)
class TailOptions:
    topics: tuple[str, ...]
    filter: Filter
    from_beginning: bool = False
    as_json: bool = False
    limit: int | None = None
    timeout_s: float | None = None


def pretty(seen: Seen) -> str:
    head = "  ".join(
        (
            seen.time or "-",
            seen.where,
            seen.header("ce_type") or "(no ce_type)",
            f"subject={seen.header('ce_subject') or seen.key or '-'}",
            f"correlation={seen.header('ce_correlationid') or '-'}",
        )
    )
    headers = "".join(f"    {name}: {value}\n" for name, value in seen.headers.items())
    payload = json.dumps(seen.payload(), indent=2, ensure_ascii=False)
    return f"{head}\n{headers}{textwrap.indent(payload, '    ')}\n"


def render(seen: Seen, *, as_json: bool) -> str:
    return json.dumps(seen.as_json(), ensure_ascii=False) if as_json else pretty(seen)


async def tail(settings: KafkaSettings, options: TailOptions, out: TextIO, err: TextIO) -> int:
    """Print matching records until --limit of them or --timeout; without either, until
    interrupted. Exit 1 when --limit was not reached."""
    shown = 0
    async with reader(settings, options.topics) as source:
        await (source.from_beginning() if options.from_beginning else source.from_end())
        start = "beginning" if options.from_beginning else "end"
        print(
            f"tail: {len(options.topics)} topics, {len(source.partitions)} partitions, "
            f"from the {start}",
            file=err,
            flush=True,
        )
        timer = asyncio.timeout(options.timeout_s)
        try:
            async with timer, aclosing(source.follow()) as records:
                async for seen in records:
                    if not options.filter.matches(seen):
                        continue
                    print(render(seen, as_json=options.as_json), file=out, flush=True)
                    shown += 1
                    if options.limit is not None and shown >= options.limit:
                        break
        except TimeoutError:
            if not timer.expired():
                raise
    if options.limit is not None and shown < options.limit:
        print(f"tail: {shown} of {options.limit} records before the timeout", file=err)
        return 1
    return 0
