"""Many aggregates in one store command, on a real MongoDB-wire server: new aggregates
inserted at once (duplicates handed back, nothing half-written), and published entries
marked sent in one bulk write that falls back to one by one when a document moved on."""

from __future__ import annotations

from typing import Any

import pytest
from mentornet_chassis.store.aggregate_docs import Written
from mentornet_chassis.store.aggregates import AggregateStore, Decision, State
from mentornet_chassis.store.bulk import NewAggregate, insert_new, mark_sent_many
from mentornet_contracts import REGISTRY, new_envelope
from mentornet_contracts.events.participants import ParticipantWithdrawn

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(mongo: Any, unique: str) -> AggregateStore:
    things = AggregateStore(mongo[f"test_bulk_{unique}"]["things"], REGISTRY)
    await things.collection.create_index("state.key", unique=True, sparse=True)
    return things


def withdrawn(n: int) -> Any:
    return new_envelope(ParticipantWithdrawn(participant_id=f"p{n}", reason=str(n)), "t")


def new(n: int, key: str | None = None) -> NewAggregate:
    return NewAggregate(f"a{n}", {"key": key or f"k{n}", "n": n}, [withdrawn(n)])


async def test_new_aggregates_are_inserted_at_once_and_duplicates_handed_back(
    store: AggregateStore,
) -> None:
    told: list[tuple[str, Written]] = []
    store.watch_writes(lambda aggregate_id, written: told.append((aggregate_id, written)))
    assert await insert_new(store, [new(1)]) == set()
    refused = await insert_new(store, [new(2), new(1), new(3, key="k2"), new(4)])
    assert refused == {"a1", "a3"}
    docs = {d["_id"]: d async for d in store.collection.find()}
    assert sorted(docs) == ["a1", "a2", "a4"]
    assert docs["a1"]["state"] == {"key": "k1", "n": 1}, "the duplicate did not overwrite it"
    for doc in docs.values():
        assert (doc["version"], doc["pending"], doc["inbox"]) == (1, True, [])
        assert [e["type"] for e in doc["outbox"]] == [ParticipantWithdrawn.event_type]
    assert [aggregate_id for aggregate_id, _ in told] == ["a1", "a2", "a4"]
    assert all(len(written.added) == 1 for _, written in told)


async def test_sent_entries_are_removed_in_one_write_keeping_newer_ones(
    store: AggregateStore,
) -> None:
    await insert_new(store, [new(n) for n in range(1, 4)])
    pending = {d["_id"]: d for d in await store.pending()}
    sent = [(pending[a], {e["id"] for e in pending[a]["outbox"]}) for a in ("a1", "a2", "a3")]

    def another(state: State | None) -> Decision:
        return Decision(state={**(state or {}), "n": 99}, events=[withdrawn(99)])

    await store.apply("a2", another)
    await mark_sent_many(store, sent)
    docs = {d["_id"]: d async for d in store.collection.find()}
    assert docs["a1"]["outbox"] == []
    assert docs["a3"]["outbox"] == []
    assert not docs["a1"]["pending"]
    assert docs["a1"]["version"] == 2
    [kept] = docs["a2"]["outbox"]
    assert kept["id"] not in sent[1][1], "the entry written after the read stays"
    assert docs["a2"]["state"]["n"] == 99
    assert docs["a2"]["pending"]
