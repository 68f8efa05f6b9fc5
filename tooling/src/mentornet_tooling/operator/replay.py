"""`mentornet dlq replay`: put dead-lettered records back on the topic they came from, as
they were (key, value, headers without the dlq_* ones).

Safe to repeat in effect: consumers keep an inbox of handled event ids, so an event that
had in fact been applied is skipped. Nothing is recorded in Kafka about a replay (the
record stays in the DLQ); what was replayed, and where it went, is printed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from aiokafka import AIOKafkaProducer
from mentornet_chassis.messaging.broker import client_config
from mentornet_chassis.process.settings import KafkaSettings
from mentornet_contracts import dlq
from mentornet_contracts.registry import dlq_topic

from mentornet_tooling.operator.reading import CLIENT_ID, event_topic_names, reader
from mentornet_tooling.operator.records import Seen


@dataclass(frozen=True)
class Choice:
    """Which records: one offset, or --all (optionally only some reasons)."""

    offset: int | None = None
    partition: int = 0
    reasons: tuple[str, ...] = ()


def original_headers(seen: Seen) -> list[tuple[str, bytes]]:
    return [(name, value) for name, value in seen.raw_headers if name not in dlq.ALL]


def _label(seen: Seen) -> str:
    return f"{seen.where} ({seen.header('ce_type') or 'no type'}, id {seen.header('ce_id') or '-'})"


def _record(seen: Seen, to: dict[str, object], *, dry_run: bool) -> str:
    """One replay as a JSON line: the DLQ record, its event, and where it went."""
    return json.dumps(
        {
            "from": {"topic": seen.topic, "partition": seen.partition, "offset": seen.offset},
            "type": seen.header("ce_type"),
            "id": seen.header("ce_id"),
            "to": to,
            "dry_run": dry_run,
        }
    )


async def _chosen(
    settings: KafkaSettings, service: str, choice: Choice, timeout_s: float
) -> list[Seen]:
    async with reader(settings, [dlq_topic(service).name]) as source:
        if choice.offset is not None:
            one = await source.at(choice.partition, choice.offset, timeout_s)
            return [one] if one is not None else []
        await source.from_beginning()
        found = [s async for s in source.until_end(timeout_s)]
    return [s for s in found if not choice.reasons or s.header(dlq.REASON) in choice.reasons]


async def _produce(
    settings: KafkaSettings, records: Sequence[Seen], out: TextIO, *, as_json: bool = False
) -> None:
    producer = AIOKafkaProducer(
        acks="all", enable_idempotence=False, **client_config(settings, client_id=CLIENT_ID)
    )
    try:
        await producer.start()
        for seen in records:
            sent = await producer.send_and_wait(
                seen.header(dlq.ORIGIN_TOPIC),
                value=seen.value,
                key=seen.raw_key,
                headers=original_headers(seen),
            )
            to = {"topic": sent.topic, "partition": sent.partition, "offset": sent.offset}
            print(
                _record(seen, to, dry_run=False)
                if as_json
                else f"replayed {_label(seen)} -> {sent.topic}/{sent.partition}@{sent.offset}",
                file=out,
                flush=True,
            )
    finally:
        await producer.stop()


def _not_replayable(seen: Seen, targets: set[str]) -> str | None:
    if seen.header(dlq.ENVELOPE):
        return (
            "an envelope of a record too large to copy (it holds the origin, size, digest "
            "and first bytes, not the record)"
        )
    if seen.header(dlq.ORIGIN_TOPIC) not in targets:
        return f"origin topic {seen.header(dlq.ORIGIN_TOPIC)!r} is not an event topic"
    return None


async def replay(
    settings: KafkaSettings,
    service: str,
    choice: Choice,
    *,
    dry_run: bool,
    timeout_s: float,
    out: TextIO,
    err: TextIO,
    as_json: bool = False,
) -> int:
    """Exit 1 if nothing was chosen or a record has no event topic to go back to."""
    topic = dlq_topic(service).name
    chosen = await _chosen(settings, service, choice, timeout_s)
    if not chosen:
        where = "" if choice.offset is None else f"/{choice.partition}@{choice.offset}"
        print(f"dlq replay: no record to replay in {topic}{where}", file=err)
        return 1
    targets = set(event_topic_names())
    ready: list[Seen] = []
    for seen in chosen:
        why = _not_replayable(seen, targets)
        if why is None:
            ready.append(seen)
            continue
        print(f"dlq replay: skipped {_label(seen)}: {why}", file=err)
    if dry_run:
        for seen in ready:
            origin = seen.header(dlq.ORIGIN_TOPIC)
            print(
                _record(seen, {"topic": origin}, dry_run=True)
                if as_json
                else f"would replay {_label(seen)} -> {origin}",
                file=out,
            )
    else:
        await _produce(settings, ready, out, as_json=as_json)
    verb = "would replay" if dry_run else "replayed"
    print(
        f"dlq replay: {verb} {len(ready)} of {len(chosen)} records from {topic}; they stay "
        "in the DLQ, so replaying them again sends them again (the inbox skips repeats)",
        file=err,
    )
    return 0 if len(ready) == len(chosen) else 1
