"""`mentornet outbox list|show|retry|discard`: the records a service's relay could not
publish, read and acted on in the service's own MongoDB database.

A failing aggregate is named `collection/aggregate_id` (as `list` prints it). `retry`
forgets its failures, so the relay tries its head record again on its next scan (every
few seconds). `discard` takes the failing record out of the outbox, keeping it whole in
`outbox_discarded` with the reason and who discarded it; the records behind it then
go out in order. Nothing else is ever removed.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

from mentornet_chassis.messaging.relay_failures import FAILURES, Failure
from mentornet_chassis.store.aggregate_docs import entry_value
from mentornet_chassis.store.aggregates import AggregateStore
from mentornet_chassis.store.mongo import Document
from mentornet_contracts import REGISTRY
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

DISCARDED = "outbox_discarded"
PREVIEW_CHARS = 400


def database_name(service: str, override: str | None) -> str:
    return override or f"mentornet_{service}"


async def failures(db: AsyncDatabase[Document]) -> list[Failure]:
    docs = [doc async for doc in db[FAILURES].find({})]
    return sorted((Failure.of(d) for d in docs), key=lambda f: (f.collection, f.aggregate_id))


async def outbox_of(db: AsyncDatabase[Document], failure: Failure) -> list[Document]:
    doc = await db[failure.collection].find_one({"_id": failure.aggregate_id})
    return list((doc or {}).get("outbox") or [])


def _state(failure: Failure) -> str:
    if failure.poisoned:
        return "poisoned"
    when = datetime.fromtimestamp(failure.next_epoch, UTC).strftime("%H:%M:%S")
    return f"retry {when}"


def _row(service: str, failure: Failure, held: int) -> dict[str, Any]:
    return {
        "service": service,
        "aggregate": f"{failure.collection}/{failure.aggregate_id}",
        "entry_id": failure.entry_id,
        "event_type": failure.event_type,
        "reason": failure.reason,
        "attempts": failure.attempts,
        "state": _state(failure),
        "held_behind": held,
        "error": failure.error,
    }


COLUMNS = ("service", "aggregate", "event_type", "reason", "attempts", "state", "held_behind")


async def list_failures(
    client: AsyncMongoClient[Document],
    services: Sequence[str],
    database: str | None,
    *,
    as_json: bool,
    out: TextIO,
) -> int:
    rows = []
    for service in services:
        db = client[database_name(service, database)]
        for failure in await failures(db):
            held = max(0, len(await outbox_of(db, failure)) - 1)
            rows.append(_row(service, failure, held))
    if as_json:
        for row in rows:
            print(json.dumps(row), file=out)
    elif not rows:
        print(f"no failing outbox records in {', '.join(services)}", file=out)
    else:
        table = [COLUMNS, *(tuple(str(r[c]) for c in COLUMNS) for r in rows)]
        widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
        for line in table:
            print(
                "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip(), file=out
            )
    return 0


async def _failing(
    client: AsyncMongoClient[Document],
    service: str,
    database: str | None,
    aggregate: str,
    *,
    verb: str,
    err: TextIO,
) -> tuple[AsyncDatabase[Document], Failure] | None:
    """The service's database and the aggregate's failure; None (said on `err`) when
    the aggregate is not failing."""
    db = client[database_name(service, database)]
    found = await db[FAILURES].find_one({"_id": aggregate})
    if found is None:
        print(f"outbox {verb}: {service} has no failing aggregate {aggregate}", file=err)
        return None
    return db, Failure.of(found)


async def show_failure(
    client: AsyncMongoClient[Document],
    service: str,
    database: str | None,
    aggregate: str,
    *,
    out: TextIO,
    err: TextIO,
) -> int:
    found = await _failing(client, service, database, aggregate, verb="show", err=err)
    if found is None:
        return 1
    db, failure = found
    print(json.dumps(_row(service, failure, 0) | {"held_behind": None}, indent=2), file=out)
    for entry in await outbox_of(db, failure):
        value = entry_value(entry)
        size = len(value)
        text = value.decode("utf-8", "replace")
        mark = "*" if entry["id"] == failure.entry_id else " "
        print(
            f"{mark} {entry['id']} {entry.get('type')} -> {entry['topic']} ({size:,} bytes)",
            file=out,
        )
        print(f"    {text[:PREVIEW_CHARS]}", file=out)
    return 0


async def retry_failure(
    client: AsyncMongoClient[Document],
    service: str,
    database: str | None,
    aggregate: str,
    *,
    out: TextIO,
    err: TextIO,
) -> int:
    found = await _failing(client, service, database, aggregate, verb="retry", err=err)
    if found is None:
        return 1
    db, failure = found
    await db[FAILURES].delete_one({"_id": aggregate})
    print(
        f"{service} {aggregate}: the relay tries {failure.entry_id} again on its next scan",
        file=out,
    )
    return 0


async def discard_failure(
    client: AsyncMongoClient[Document],
    service: str,
    database: str | None,
    aggregate: str,
    reason: str,
    *,
    out: TextIO,
    err: TextIO,
) -> int:
    found = await _failing(client, service, database, aggregate, verb="discard", err=err)
    if found is None:
        return 1
    db, failure = found
    entries = await outbox_of(db, failure)
    entry = next((e for e in entries if e["id"] == failure.entry_id), None)
    if entry is not None:
        await db[DISCARDED].replace_one(
            {"_id": entry["id"]},
            {
                "service": service,
                "collection": failure.collection,
                "aggregate_id": failure.aggregate_id,
                "entry": entry,
                "failure": _row(service, failure, len(entries) - 1),
                "reason": reason,
                "discarded_by": getpass.getuser(),
                "discarded_at": datetime.now(UTC),
            },
            upsert=True,
        )
        store = AggregateStore(db[failure.collection], REGISTRY)
        await store.mark_sent(failure.aggregate_id, {entry["id"]})
    await db[FAILURES].delete_one({"_id": aggregate})
    print(
        f"{service} {aggregate}: discarded {failure.entry_id} ({failure.event_type}), kept in "
        f"{database_name(service, database)}.{DISCARDED}; {len(entries) - 1} record(s) behind "
        "it go out on the relay's next scan",
        file=out,
    )
    return 0
