"""Newcomers to one program are placed a few at a time: a run of registrations handled
side by side never has more than PLACING_AT_ONCE placements of one program under way,
while other programs' placements go on beside them."""

from __future__ import annotations

import asyncio

import pytest
from mentornet_matcher.usecases.turns import Turns

pytestmark = pytest.mark.unit


async def test_no_more_than_the_limit_hold_a_key_and_other_keys_are_not_held_back() -> None:
    turns = Turns(3)
    under_way: dict[str, int] = {"a": 0, "b": 0}
    most: dict[str, int] = {"a": 0, "b": 0}

    async def place(key: str) -> None:
        async with turns.turn(key):
            under_way[key] += 1
            most[key] = max(most[key], under_way[key])
            await asyncio.sleep(0.01)
            under_way[key] -= 1

    await asyncio.gather(*(place("a") for _ in range(10)), *(place("b") for _ in range(2)))
    assert most == {"a": 3, "b": 2}
    assert turns._gates == {}, "a key's gate goes once nobody holds or waits for it"


async def test_a_holder_that_fails_gives_its_turn_back() -> None:
    turns = Turns(1)
    with pytest.raises(RuntimeError):
        async with turns.turn("a"):
            raise RuntimeError("placement failed")
    async with asyncio.timeout(1), turns.turn("a"):
        pass
