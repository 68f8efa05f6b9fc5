"""The one-document write on a real MongoDB-wire server."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest
from mentornet_chassis.store.aggregates import AggregateStore, Decision, Outcome, State
from mentornet_contracts import REGISTRY, new_envelope
from mentornet_contracts.events.participants import ParticipantWithdrawn
from pymongo.errors import DuplicateKeyError

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(mongo: Any, unique: str) -> AggregateStore:
    return AggregateStore(mongo[f"test_agg_{unique}"]["things"], REGISTRY)


async def stored(store: AggregateStore, aggregate_id: str) -> dict[str, Any]:
    doc = await store.collection.find_one({"_id": aggregate_id})
    assert doc is not None, f"{aggregate_id} was not written"
    return doc


def bump(state: State | None) -> Decision:
    count = (state or {}).get("count", 0) + 1
    event = new_envelope(ParticipantWithdrawn(participant_id="p1", reason=str(count)), "t")
    return Decision(state={"count": count}, events=[event])


async def test_state_inbox_and_outbox_are_written_together(store: AggregateStore) -> None:
    applied = await store.apply("a1", bump, handled="evt-1")
    doc = await stored(store, "a1")
    assert applied.outcome is Outcome.APPLIED
    assert doc["version"] == 1
    assert doc["state"] == {"count": 1}
    assert doc["inbox"] == ["evt-1"]
    assert [e["id"] for e in doc["outbox"]] == [applied.emitted[0].id]


async def test_handled_event_is_not_applied_twice(store: AggregateStore) -> None:
    await store.apply("a1", bump, handled="evt-1")
    again = await store.apply("a1", bump, handled="evt-1")
    doc = await stored(store, "a1")
    assert again.outcome is Outcome.DUPLICATE
    assert doc["version"] == 1
    assert len(doc["outbox"]) == 1


async def test_concurrent_writers_lose_no_update(store: AggregateStore) -> None:
    await asyncio.gather(*(store.apply("a2", bump, handled=f"e{i}") for i in range(10)))
    doc = await stored(store, "a2")
    assert doc["state"] == {"count": 10}
    assert doc["version"] == 10
    assert sorted(doc["inbox"]) == sorted(f"e{i}" for i in range(10))
    assert len(doc["outbox"]) == 10


async def test_other_unique_index_violation_is_not_mistaken_for_a_conflict(
    store: AggregateStore,
) -> None:
    await store.collection.create_index("state.email", unique=True, sparse=True)
    await store.apply("x1", lambda _: Decision(state={"email": "a@b.c"}))
    with pytest.raises(DuplicateKeyError):
        await store.apply("x2", lambda _: Decision(state={"email": "a@b.c"}))


async def test_no_change_writes_nothing(store: AggregateStore) -> None:
    result = await store.apply("a3", lambda _: Decision(state=None), handled="e1")
    assert result.outcome is Outcome.UNCHANGED
    assert await store.collection.find_one({"_id": "a3"}) is None


async def test_entries_stay_documents_across_writes(store: AggregateStore) -> None:
    """Regression: nx-27017 stringifies sub-documents pushed with $push; we replace."""
    await store.apply("a4", bump, handled="e1")
    await store.apply("a4", bump, handled="e2")
    doc = await stored(store, "a4")
    assert all(isinstance(entry, dict) for entry in doc["outbox"])
    assert all(isinstance(entry["created_at"], datetime) for entry in doc["outbox"])
    assert isinstance(doc["updated_at"], datetime)
    assert doc["pending"] is True


async def test_mark_sent_keeps_entries_added_meanwhile(store: AggregateStore) -> None:
    await store.apply("a5", bump, handled="e1")
    first = {entry["id"] for entry in (await stored(store, "a5"))["outbox"]}
    await store.apply("a5", bump, handled="e2")
    await store.mark_sent("a5", first)
    doc = await stored(store, "a5")
    assert len(doc["outbox"]) == 1
    assert doc["outbox"][0]["id"] not in first
    assert doc["state"] == {"count": 2}
    await store.mark_sent("a5", {doc["outbox"][0]["id"]})
    assert (await stored(store, "a5"))["pending"] is False
    assert await store.pending() == []


async def test_a_likely_new_aggregate_is_inserted_without_a_read(store: AggregateStore) -> None:
    reads: list[str] = []
    load = store.load

    async def counting(aggregate_id: str) -> Any:
        reads.append(aggregate_id)
        return await load(aggregate_id)

    store.load = counting  # type: ignore[method-assign]
    first = await store.apply("n1", bump, handled="evt-1", new_likely=True)
    assert (first.outcome, first.version, reads) == (Outcome.APPLIED, 1, [])

    again = await store.apply("n1", bump, handled="evt-1", new_likely=True)
    assert again.outcome is Outcome.DUPLICATE
    later = await store.apply("n1", bump, handled="evt-2", new_likely=True)
    assert (later.outcome, later.state) == (Outcome.APPLIED, {"count": 2})
    assert reads == ["n1", "n1"]
    assert (await stored(store, "n1"))["inbox"] == ["evt-1", "evt-2"]


async def test_a_guess_that_cannot_be_decided_reads_the_real_state(store: AggregateStore) -> None:
    await store.apply("n2", bump)

    def needs_state(state: State | None) -> Decision:
        if state is None:
            raise LookupError("no such thing")
        return Decision(state={"count": state["count"] * 10})

    applied = await store.apply("n2", needs_state, new_likely=True)
    assert applied.state == {"count": 10}
    unchanged = await store.apply("n2", lambda s: Decision(state=None), new_likely=True)
    assert (unchanged.outcome, unchanged.version) == (Outcome.UNCHANGED, 2)
    with pytest.raises(LookupError):
        await store.apply("n3", needs_state, new_likely=True)


async def test_a_document_assumed_from_a_write_is_used_and_a_stale_one_read_again(
    store: AggregateStore,
) -> None:
    seen: list[Any] = []
    store.watch_writes(lambda aggregate_id, written: seen.append(written))
    await store.apply("n4", bump)
    fresh = seen[-1]
    assert (fresh.version, fresh.state) == (1, {"count": 1})

    applied = await store.apply("n4", bump, assume=fresh)
    assert (applied.version, applied.state) == (2, {"count": 2})
    stale = await store.apply("n4", bump, assume=fresh)
    assert (stale.version, stale.state) == (3, {"count": 3}), "the stale guess was read again"
    assert (await stored(store, "n4"))["version"] == 3
