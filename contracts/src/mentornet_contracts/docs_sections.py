"""Sections of docs/events.md about versions and sizes: the versions still read through
upcasters, and the size budget of every event type (budget.py)."""

from __future__ import annotations

from .budget import DLQ_HEADROOM_BYTES, EVENT_BUDGET_BYTES, MAX_MESSAGE_BYTES, budget_rows
from .registry import Registry


def superseded_section(registry: Registry) -> list[str]:
    if not registry.superseded:
        return []
    return [
        "## Superseded versions",
        "",
        "No longer written, still read: a consumer upcasts a record of one of these to its "
        "successor and validates it there, so a record over a bound the successor added "
        "goes to the DLQ (`schema_violation`, naming the field and the bound). Their "
        "snapshots in `contracts/schemas/` stay the contract of the records written "
        "under them.",
        "",
        "| version | read as | why |",
        "|---|---|---|",
        *(
            f"| `{old.event_type}` | `{old.by.event_type}` | {old.why} |"
            for old in sorted(registry.superseded, key=lambda s: s.event_type)
        ),
        "",
    ]


def budget_section(registry: Registry) -> list[str]:
    rows = sorted(budget_rows(registry.event_classes()), key=lambda r: -r.largest_bytes)
    return [
        "## Size budget",
        "",
        f"A record may take {MAX_MESSAGE_BYTES:,} bytes (the producer's `max_request_size`, "
        "the topics' `max.message.bytes`); a dead-lettered copy adds the `dlq_*` headers, "
        f"so an event may take {EVENT_BUDGET_BYTES:,} bytes, leaving {DLQ_HEADROOM_BYTES:,}. "
        "The largest valid instance of each type (every optional field present, every "
        "list full, every string at its maximum length in characters JSON writes as six "
        "bytes, the longest ids in the headers) measured as a whole record:",
        "",
        "| event type | largest record (bytes) | share of the budget |",
        "|---|---:|---:|",
        *(f"| `{r.event_type}` | {r.largest_bytes:,} | {r.share:.1%} |" for r in rows),
        "",
    ]
