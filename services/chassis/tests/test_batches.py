"""The broker edge: a batch handles each partition's records in order, partitions side
by side, and raises a failure only once every partition has stopped (the batch then
comes back whole); a service publishes only to its own topics."""

from __future__ import annotations

import asyncio

import pytest
from mentornet_chassis.messaging.broker import only_to
from mentornet_chassis.messaging.consumer import IncomingRecord
from mentornet_chassis.messaging.lanes import process_batch, steps
from mentornet_chassis.messaging.outgoing import OutgoingRecord
from mentornet_chassis.messaging.relay_failures import ForeignTopic
from mentornet_chassis.store.coalesce import SIDE_BY_SIDE

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


def typed(partition: int, offset: int, kind: str, key: bytes) -> IncomingRecord:
    return IncomingRecord("t", partition, offset, key, b"{}", (("ce_type", kind.encode()),))


REGISTERED, WITHDRAWN = "mentornet.mentee.registered.v2", "mentornet.participant.withdrawn.v1"


def test_a_run_of_a_side_by_side_type_under_distinct_keys_is_one_step() -> None:
    lane = [
        typed(0, 0, REGISTERED, b"a"),
        typed(0, 1, REGISTERED, b"b"),
        typed(0, 2, REGISTERED, b"a"),
        typed(0, 3, REGISTERED, b"c"),
        typed(0, 4, WITHDRAWN, b"d"),
        typed(0, 5, WITHDRAWN, b"e"),
        typed(0, 6, REGISTERED, b"f"),
        typed(0, 7, REGISTERED, b"g"),
    ]
    cut = steps(lane, {REGISTERED})
    assert [[r.offset for r in step] for step in cut] == [[0, 1], [2, 3], [4], [5], [6, 7]]
    assert [[r.offset for r in step] for step in steps(lane, set())] == [[o] for o in range(8)]


async def test_a_step_runs_side_by_side_and_the_lane_waits_for_all_of_it() -> None:
    order: list[int] = []
    running = most = 0

    async def process(rec: IncomingRecord) -> str:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01 * (5 - rec.offset % 5))
        running -= 1
        order.append(rec.offset)
        gathering[rec.offset] = SIDE_BY_SIDE.get()
        return "applied"

    gathering: dict[int, bool] = {}
    lane = [typed(0, o, REGISTERED, f"k{o}".encode()) for o in range(5)]
    lane.append(typed(0, 5, WITHDRAWN, b"k0"))
    await process_batch(process, lane, {REGISTERED})
    assert most == 5
    assert sorted(order[:5]) == [0, 1, 2, 3, 4]
    assert order[5] == 5, "the next step started only once the whole run was done"
    assert gathering == {**dict.fromkeys(range(5), True), 5: False}, "store calls gathered"
