"""The broker edge: a batch handles each partition's records in order, partitions side
by side, and raises a failure only once every partition has stopped (the batch then
comes back whole); a service publishes only to its own topics."""

from __future__ import annotations

import asyncio

import pytest
from mentornet_chassis.messaging.broker import only_to, process_batch
from mentornet_chassis.messaging.consumer import IncomingRecord
from mentornet_chassis.messaging.outgoing import OutgoingRecord
from mentornet_chassis.messaging.relay_failures import ForeignTopic

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


async def test_a_record_for_another_service_s_topic_is_refused() -> None:
    sent: list[OutgoingRecord] = []

    async def publish(out: OutgoingRecord) -> None:
        sent.append(out)

    guarded = only_to(["mentornet.matches", "mentornet.matcher.dlq"], publish)
    ours = OutgoingRecord("mentornet.matches", b"k", b"{}", {}, "mentornet.match.proposed.v2")
    theirs = OutgoingRecord("mentornet.sessions", b"k", b"{}", {}, "mentornet.session.missed.v2")
    await guarded(ours)
    with pytest.raises(ForeignTopic, match=r"session.missed.v2 goes to mentornet.sessions"):
        await guarded(theirs)
    assert sent == [ours]
