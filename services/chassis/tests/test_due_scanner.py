"""The timers' scanner works on due aggregates `concurrency` at a time (one by one by
default), counts each, and raises a store outage only once every other piece of work
has stopped."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from mentornet_chassis.messaging.timers import DueScanner, DueTask
from pymongo.errors import ConnectionFailure

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 9, 12, 0, tzinfo=UTC)


class DueStore:
    """Stands in for an aggregate store: only `due_ids` is read by the scanner."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids

    async def due_ids(self, now_epoch: float) -> list[str]:
        return list(self.ids)


class Work:
    """Records how many pieces run at once; `fail` raises a store outage."""

    def __init__(self, fail: str | None = None) -> None:
        self.running = 0
        self.most = 0
        self.done: list[str] = []
        self.fail = fail

    async def __call__(self, aggregate_id: str, now: datetime) -> None:
        self.running += 1
        self.most = max(self.most, self.running)
        try:
            await asyncio.sleep(0.01)
            if aggregate_id == self.fail:
                raise ConnectionFailure("the store went away")
            self.done.append(aggregate_id)
        finally:
            self.running -= 1


def scanner(work: Work, ids: list[str], concurrency: int) -> DueScanner:
    store: Any = DueStore(ids)
    task = DueTask(store, work)
    return DueScanner([task], lambda: NOW, 1.0, lambda: None, concurrency=concurrency)


async def test_by_default_due_aggregates_are_worked_on_one_at_a_time() -> None:
    work = Work()
    ids = [f"a-{n}" for n in range(5)]
    assert await scanner(work, ids, 1).run_once() == 5
    assert (work.most, work.done) == (1, ids)


async def test_with_concurrency_three_at_most_three_run_at_once_and_all_are_done() -> None:
    work = Work()
    ids = [f"a-{n}" for n in range(8)]
    assert await scanner(work, ids, 3).run_once() == 8
    assert work.most == 3
    assert sorted(work.done) == sorted(ids)


async def test_a_store_outage_is_raised_after_the_others_have_finished() -> None:
    work = Work(fail="a-1")
    ids = [f"a-{n}" for n in range(6)]
    with pytest.raises(ConnectionFailure):
        await scanner(work, ids, 3).run_once()
    assert work.running == 0
    assert sorted(work.done) == sorted(i for i in ids if i != "a-1")
