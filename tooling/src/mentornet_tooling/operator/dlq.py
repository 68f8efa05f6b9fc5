"""`mentornet dlq list` and `mentornet dlq show`: what is in the services' dead-letter
topics (mentornet.<service>.dlq) and why each record is there."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import TextIO

from mentornet_chassis.process.settings import KafkaSettings
from mentornet_contracts import dlq
from mentornet_contracts.registry import dlq_topic

from mentornet_tooling.operator.reading import reader
from mentornet_tooling.operator.records import Seen

ERROR_CHARS = 60
COLUMNS = ("SERVICE", "OFFSET", "REASON", "TYPE", "ORIGIN", "FAILED AT", "ERROR")


def origin(seen: Seen) -> str:
    return (
        f"{seen.header(dlq.ORIGIN_TOPIC)}/{seen.header(dlq.ORIGIN_PARTITION)}"
        f"@{seen.header(dlq.ORIGIN_OFFSET)}"
    )


def _short(text: str, limit: int = ERROR_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def row(service: str, seen: Seen) -> tuple[str, ...]:
    offset = str(seen.offset) if seen.partition == 0 else f"{seen.partition}@{seen.offset}"
    return (
        service,
        offset,
        seen.header(dlq.REASON),
        seen.header("ce_type") or "-",
        origin(seen),
        seen.header(dlq.FAILED_AT),
        _short(seen.header(dlq.ERROR_MESSAGE)),
    )


def table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in (COLUMNS, *rows)) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in (COLUMNS, *rows)
    )


async def dead_letters(
    settings: KafkaSettings, services: Sequence[str], timeout_s: float
) -> list[tuple[str, Seen]]:
    """Every record of the services' DLQs, by service and offset."""
    by_topic = {dlq_topic(service).name: service for service in services}
    async with reader(settings, list(by_topic)) as source:
        await source.from_beginning()
        found = [(by_topic[s.topic], s) async for s in source.until_end(timeout_s)]
    return sorted(found, key=lambda item: (item[0], item[1].partition, item[1].offset))


async def list_dead_letters(
    settings: KafkaSettings,
    services: Sequence[str],
    *,
    as_json: bool,
    timeout_s: float,
    out: TextIO,
) -> int:
    found = await dead_letters(settings, services, timeout_s)
    if as_json:
        for service, seen in found:
            print(json.dumps({"service": service, **seen.as_json()}, ensure_ascii=False), file=out)
    elif not found:
        names = ", ".join(dlq_topic(service).name for service in services)
        print(f"no dead letters in {names}", file=out)
    else:
        print(table([row(service, seen) for service, seen in found]), file=out)
    return 0


def details(seen: Seen) -> str:
    headers = "".join(f"  {name}: {value}\n" for name, value in seen.headers.items())
    payload = json.dumps(seen.payload(), indent=2, ensure_ascii=False)
    return (
        f"{seen.where}\nkey: {seen.key}\nheaders:\n{headers}"
        f"payload:\n{textwrap.indent(payload, '  ')}"
    )


async def show_dead_letter(
    settings: KafkaSettings,
    service: str,
    offset: int,
    *,
    partition: int,
    as_json: bool,
    timeout_s: float,
    out: TextIO,
    err: TextIO,
) -> int:
    topic = dlq_topic(service).name
    async with reader(settings, [topic]) as source:
        seen = await source.at(partition, offset, timeout_s)
    if seen is None:
        print(f"dlq show: no record at {topic}/{partition}@{offset}", file=err)
        return 1
    print(json.dumps(seen.as_json(), ensure_ascii=False) if as_json else details(seen), file=out)
    return 0
