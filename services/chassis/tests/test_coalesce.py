"""Reads and first writes made side by side reach the store as one command each, and
every caller still gets exactly its own answer: its document, its own refusal, or the
error a call of its own would have raised. Unit tests of the grouping, then the
aggregate store on a real MongoDB-wire server, counting the commands it sends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import pytest
from mentornet_chassis.store.aggregates import AggregateStore, Decision, Outcome, State
from mentornet_chassis.store.coalesce import Coalesced, side_by_side
from mentornet_contracts import REGISTRY
from mentornet_tooling.testing.backends import Endpoints
from pymongo import AsyncMongoClient, monitoring
from pymongo.errors import DuplicateKeyError


class Calls:
    def __init__(self, fail_together: bool = False, refuse: frozenset[int] = frozenset()) -> None:
        self.together: list[list[int]] = []
        self.alone: list[int] = []
        self.fail_together = fail_together
        self.refuse = refuse

    async def many(self, keys: Sequence[int]) -> Mapping[int, int | Exception]:
        self.together.append(list(keys))
        if self.fail_together:
            raise ConnectionError("the whole command failed")
        return {k: ValueError(f"refused {k}") if k in self.refuse else k * 10 for k in keys}

    async def one(self, key: int) -> int:
        self.alone.append(key)
        if key in self.refuse:
            raise ValueError(f"refused {key} alone")
        return key * 10


@pytest.mark.unit
async def test_calls_made_together_are_answered_by_one_call_each_with_its_own_result() -> None:
    calls = Calls()
    grouped = Coalesced(calls.many, calls.one)
    with side_by_side():
        results = await asyncio.gather(*(grouped(k) for k in range(50)))
    assert results == [k * 10 for k in range(50)]
    assert calls.together == [list(range(50))]
    assert calls.alone == []


@pytest.mark.unit
async def test_calls_outside_side_by_side_work_go_to_the_store_one_by_one() -> None:
    calls = Calls()
    grouped = Coalesced(calls.many, calls.one)
    assert list(await asyncio.gather(*(grouped(k) for k in range(3)))) == [0, 10, 20]
    assert calls.together == []
    assert calls.alone == [0, 1, 2]


@pytest.mark.unit
async def test_a_lone_call_goes_alone_and_later_calls_form_a_new_group() -> None:
    calls = Calls()
    grouped = Coalesced(calls.many, calls.one)
    with side_by_side():
        assert await grouped(7) == 70
        answers = await asyncio.gather(grouped(1), grouped(2), grouped(1))
    assert list(answers) == [10, 20, 10]
    assert calls.alone == [7]
    assert calls.together == [[1, 2]], "a key asked twice is asked once"


@pytest.mark.unit
async def test_one_refused_key_fails_only_its_own_caller() -> None:
    calls = Calls(refuse=frozenset({3}))
    grouped = Coalesced(calls.many, calls.one)
    with side_by_side():
        results = await asyncio.gather(*(grouped(k) for k in range(5)), return_exceptions=True)
    assert [r for r in results if not isinstance(r, Exception)] == [0, 10, 20, 40]
    assert isinstance(results[3], ValueError)
    assert str(results[3]) == "refused 3"


@pytest.mark.unit
async def test_a_group_that_fails_whole_is_asked_again_one_call_at_a_time() -> None:
    calls = Calls(fail_together=True, refuse=frozenset({2}))
    grouped = Coalesced(calls.many, calls.one)
    with side_by_side():
        results = await asyncio.gather(*(grouped(k) for k in range(4)), return_exceptions=True)
    assert results[:2] == [0, 10]
    assert results[3] == 30
    assert isinstance(results[2], ValueError)
    assert str(results[2]) == "refused 2 alone"
    assert sorted(calls.alone) == [0, 1, 2, 3]


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.names: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.names.append(event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@pytest.fixture
async def counted(stack: Endpoints) -> AsyncIterator[tuple[AsyncMongoClient[Any], Commands]]:
    commands = Commands()
    client: AsyncMongoClient[Any] = AsyncMongoClient(
        stack.mongo_uri, tz_aware=True, event_listeners=[commands]
    )
    yield client, commands
    await client.close()


def counting(state: State | None) -> Decision:
    return Decision({"n": (state or {}).get("n", 0) + 1, "key": (state or {}).get("key")})


@pytest.mark.integration
async def test_side_by_side_applies_read_once_and_insert_once_each_answered_for_itself(
    counted: tuple[AsyncMongoClient[Any], Commands], unique: str
) -> None:
    client, commands = counted
    store = AggregateStore(client[f"test_coalesce_{unique}"]["things"], REGISTRY)
    await store.collection.create_index("state.key", unique=True, sparse=True)
    await store.apply("a0", counting, handled="e-a0")
    await store.collection.insert_one(
        {"_id": "taken", "version": 1, "state": {"key": "k-taken"}, "inbox": [], "outbox": []}
    )
    commands.names.clear()

    def claiming(state: State | None) -> Decision:
        return Decision({"n": 1, "key": "k-taken"})

    with side_by_side():
        results = await asyncio.gather(
            *(store.apply(f"a{n}", counting, handled=f"e-a{n}") for n in range(40)),
            store.apply("thief", claiming, handled="e-thief"),
            return_exceptions=True,
        )

    assert results[0].outcome is Outcome.DUPLICATE  # type: ignore[union-attr]
    assert all(r.outcome is Outcome.APPLIED for r in results[1:40])  # type: ignore[union-attr]
    assert isinstance(results[40], DuplicateKeyError), "the unique index refused only it"
    assert commands.names.count("find") == 1, commands.names
    assert commands.names.count("insert") == 1, commands.names
    docs = {d["_id"]: d async for d in store.collection.find({"_id": {"$regex": "^a"}})}
    assert sorted(docs) == sorted(f"a{n}" for n in range(40))
    assert all(docs[f"a{n}"]["inbox"] == [f"e-a{n}"] for n in range(1, 40))
    assert docs["a0"]["state"]["n"] == 1, "the event a0 had handled was not applied twice"
    assert await store.collection.count_documents({"_id": "thief"}) == 0
