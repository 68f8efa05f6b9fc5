"""How one poll batch is worked through: a lane per partition, the lanes side by side;
in each lane the records in order, except that a run of records the service handles
side by side is handled at once.

A service names the event types it may handle side by side (`ServiceParts.side_by_side`):
types whose records about different keys do not depend on one another, such as
registrations and proposals, each about its own new aggregate. A lane's consecutive
records of one such type, each under a different key, form a step and run together:
their reads and first writes reach the store as one command each
(store/coalesce.py), so a burst costs a few commands per poll instead of a few per
record. Records of one key keep their order (a repeated key starts a new step), and any
other record is a step of its own, in its turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Sequence

from mentornet_chassis.messaging.records import IncomingRecord
from mentornet_chassis.store.coalesce import side_by_side

Step = list[IncomingRecord]


def event_type(record: IncomingRecord) -> str | None:
    """The record's CloudEvents type header, read before the record is decoded."""
    for name, value in record.headers:
        if name == "ce_type":
            return value.decode("utf-8", "replace")
    return None


def steps(queued: Sequence[IncomingRecord], side_by_side: Collection[str]) -> list[Step]:
    """A lane's records cut into steps: runs of one side-by-side type under distinct keys,
    and every other record alone, in the lane's order."""
    cut: list[Step] = []
    kind: str | None = None
    keys: set[bytes] = set()
    for record in queued:
        this = event_type(record)
        joins = (
            cut
            and this is not None
            and this in side_by_side
            and this == kind
            and record.key
            and record.key not in keys
        )
        if joins:
            cut[-1].append(record)
        else:
            cut.append([record])
            kind, keys = this, set()
        if record.key:
            keys.add(record.key)
    return cut


async def _all_of(process: Callable[[IncomingRecord], Awaitable[str]], step: Step) -> None:
    """Every record of the step handled; the first failure raised once all have stopped."""
    if len(step) == 1:
        await process(step[0])
        return
    with side_by_side():
        await _every(*(process(r) for r in step))


async def _every(*work: Awaitable[object]) -> None:
    """Await all of `work` side by side; the first failure raised once all have stopped."""
    results = await asyncio.gather(*work, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result


async def process_batch(
    process: Callable[[IncomingRecord], Awaitable[str]],
    records: Sequence[IncomingRecord],
    side_by_side: Collection[str] = frozenset(),
) -> None:
    """Each partition's records in order (but for side-by-side steps), the partitions side
    by side; returns once all are done, or raises the first failure once all have stopped
    (the batch then comes back: NACK_ON_ERROR rewinds every partition to its earliest
    record of the batch, and the inbox drops what was applied already)."""
    lanes: dict[tuple[str, int], list[IncomingRecord]] = {}
    for record in records:
        lanes.setdefault((record.topic, record.partition), []).append(record)

    async def lane(queued: list[IncomingRecord]) -> None:
        for step in steps(queued, side_by_side):
            await _all_of(process, step)

    await _every(*(lane(q) for q in lanes.values()))
