"""One key's records never interleave in a process; other keys' go side by side."""

from __future__ import annotations

import asyncio

import pytest
from mentornet_chassis.messaging.keylocks import KeyLocks

pytestmark = pytest.mark.unit


async def test_one_keys_holders_take_turns_and_other_keys_do_not_wait() -> None:
    locks = KeyLocks()
    log: list[str] = []
    first_inside = asyncio.Event()
    let_go = asyncio.Event()

    async def first() -> None:
        async with locks.hold(b"m1"):
            log.append("first in")
            first_inside.set()
            await let_go.wait()
            log.append("first out")

    async def second(key: bytes) -> None:
        await first_inside.wait()
        async with locks.hold(key):
            log.append(f"{key.decode()} in")

    tasks = [asyncio.create_task(c) for c in (first(), second(b"m1"), second(b"m2"))]
    await asyncio.sleep(0.01)
    assert log == ["first in", "m2 in"], "m2 went ahead; m1's second holder waited"
    let_go.set()
    await asyncio.gather(*tasks)
    assert log == ["first in", "m2 in", "first out", "m1 in"]
    assert len(locks) == 0, "locks are dropped once nobody holds or waits"


async def test_records_without_a_key_are_not_held_up() -> None:
    locks = KeyLocks()
    async with locks.hold(None), locks.hold(None):
        assert len(locks) == 0


async def test_a_holder_that_fails_lets_the_next_one_in() -> None:
    locks = KeyLocks()

    async def failing() -> None:
        async with locks.hold(b"k"):
            raise RuntimeError("handler failed")

    with pytest.raises(RuntimeError):
        await failing()
    async with asyncio.timeout(1), locks.hold(b"k"):
        assert len(locks) == 1
    assert len(locks) == 0


async def test_a_gate_of_n_lets_n_holders_of_a_key_in_and_other_keys_are_not_held_back() -> None:
    gates = KeyLocks(at_once=3)
    under_way = {b"a": 0, b"b": 0}
    most = {b"a": 0, b"b": 0}

    async def hold(key: bytes) -> None:
        async with gates.hold(key):
            under_way[key] += 1
            most[key] = max(most[key], under_way[key])
            await asyncio.sleep(0.01)
            under_way[key] -= 1

    await asyncio.gather(*(hold(b"a") for _ in range(10)), *(hold(b"b") for _ in range(2)))
    assert most == {b"a": 3, b"b": 2}
    assert len(gates) == 0, "a key's gate goes once nobody holds or waits for it"


async def test_a_holder_that_fails_gives_its_place_back() -> None:
    gates = KeyLocks(at_once=1)
    with pytest.raises(RuntimeError):
        async with gates.hold(b"a"):
            raise RuntimeError("placement failed")
    async with asyncio.timeout(1), gates.hold(b"a"):
        pass
