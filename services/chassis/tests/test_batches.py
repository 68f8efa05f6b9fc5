"""A batch: each partition's records in order, partitions side by side, and a failure
raised only once every partition has stopped (the batch then comes back whole)."""

from __future__ import annotations

import asyncio

import pytest
from mentornet_chassis.broker import process_batch
from mentornet_chassis.consumer import IncomingRecord

pytestmark = pytest.mark.unit


def record(partition: int, offset: int) -> IncomingRecord:
    return IncomingRecord("t", partition, offset, b"k", b"{}", ())


class Recorder:
    def __init__(self, failing: frozenset[tuple[int, int]] = frozenset()) -> None:
        self.done: list[tuple[int, int]] = []
        self.running = 0
        self.most = 0
        self.failing = failing

    async def process(self, rec: IncomingRecord) -> str:
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(0.01 * (3 - rec.partition))
        self.running -= 1
        if (rec.partition, rec.offset) in self.failing:
            raise ConnectionError("the DLQ write failed")
        self.done.append((rec.partition, rec.offset))
        return "applied"


async def test_partitions_go_side_by_side_and_each_keeps_its_order() -> None:
    recorder = Recorder()
    batch = [record(p, o) for o in range(3) for p in range(3)]
    await process_batch(recorder.process, batch)
    assert recorder.most == 3
    for p in range(3):
        assert [o for q, o in recorder.done if q == p] == [0, 1, 2]


async def test_a_failure_is_raised_after_the_other_partitions_finish() -> None:
    recorder = Recorder(failing=frozenset({(2, 0)}))
    batch = [record(p, o) for o in range(2) for p in range(3)]
    with pytest.raises(ConnectionError):
        await process_batch(recorder.process, batch)
    assert sorted(recorder.done) == [(0, 0), (0, 1), (1, 0), (1, 1)]
