"""Publishing intake's and the matcher's facts straight onto the broker, as those
services would, for tests of the services downstream."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from mentornet_contracts import encode, new_envelope
from mentornet_contracts.catalogue import REGISTRY
from mentornet_contracts.events.programs import ProgramPublished
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.examples import program_published
from mentornet_tooling.testing.kafka import find_records, kind_of, produce_record

WEEKLY = [{"weekday": d, "start": "09:00", "end": "12:00"} for d in ("mon", "tue", "wed", "thu")]


def program(program_id: str) -> ProgramPublished:
    return program_published(
        program_id=program_id,
        matching_weights={"skills": 0.6, "availability": 0.2, "language": 0.2},
        conflict_rules={"exclude_same_manager_line": True, "exclude_same_org_unit": False},
    )


def person(kind: type[Any], pid: str, program_id: str, **fields: Any) -> Any:
    base = {
        "participant_id": pid,
        "program_id": program_id,
        "languages": ["en"],
        "formats": ["video"],
        "availability": {"timezone": "Europe/Berlin", "weekly": WEEKLY},
    }
    return kind.model_validate(base | fields)


async def publish(stack: Endpoints, *events: Any, at: datetime | None = None) -> None:
    """`at` stamps the envelopes with a test clock's time rather than the wall's."""
    for event in events:
        envelope = new_envelope(event, "intake")
        if at is not None:
            envelope = replace(envelope, time=at)
        await produce_record(stack.bootstrap_servers, encode(envelope, REGISTRY))


async def events_of(
    stack: Endpoints, topic: str, kind: str, match: Callable[[dict[str, Any]], bool], count: int = 1
) -> list[dict[str, Any]]:
    """The payloads of `kind` events (`match.proposed`, any version) on `topic` that
    `match` accepts, once at least `count` are there (60 s at most)."""
    records = await find_records(
        stack.bootstrap_servers,
        topic,
        lambda r: kind_of(r) == kind and match(json.loads(r.value)),
        count=count,
        timeout=60,
    )
    return [json.loads(r.value) for r in records]
