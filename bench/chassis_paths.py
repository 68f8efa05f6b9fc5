"""The chassis' hot paths against the least a service could do instead.

- exactly-once write: `AggregateStore.apply` (read, inbox check, conditional write of state
  + inbox id + outbox entry) against a bare `insert_one` of the same state.
- codec decode: `mentornet_contracts.decode` (headers, registry, upcast, validation) against
  pydantic's `model_validate_json` of the value alone.
"""

from __future__ import annotations

import uuid

from mentornet_chassis.store.aggregates import AggregateStore, Decision, State
from mentornet_contracts import REGISTRY, decode, encode, new_envelope
from mentornet_contracts.events.participants import MenteeRegistered
from pymongo import AsyncMongoClient

from .harness import Result, rate

WRITES = 400
DECODES = 20_000


def _event(pid: str) -> MenteeRegistered:
    return MenteeRegistered(
        participant_id=pid, program_id="prog-bench", languages=("en", "de"), urgency=3
    )


async def exactly_once_write(mongo_uri: str) -> Result:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_uri)
    db = client[f"bench_{uuid.uuid4().hex[:8]}"]
    store = AggregateStore(db["aggregates"], REGISTRY)
    state = _event("p").model_dump(mode="json")

    async def ours(round_no: int) -> None:
        for i in range(WRITES):
            envelope = new_envelope(_event(f"p{round_no}-{i}"), "bench")

            def decide(_: State | None, envelope: object = envelope) -> Decision:
                return Decision(state=state, events=[envelope])  # type: ignore[list-item]

            await store.apply(f"p{round_no}-{i}", decide, handled=envelope.id)

    async def bare(round_no: int) -> None:
        for i in range(WRITES):
            await db["bare"].insert_one({"_id": f"p{round_no}-{i}", "state": state})

    try:
        ours_rate, bare_rate = await rate(ours, WRITES), await rate(bare, WRITES)
    finally:
        await client.drop_database(db.name)
        await client.close()
    return Result(
        "exactly-once write",
        "state + inbox id + outbox entry in one conditional write, after an inbox check",
        ours_rate,
        "bare insert_one",
        bare_rate,
        0.40,
        WRITES,
    )


async def codec_decode() -> Result:
    record = encode(new_envelope(_event("p1"), "bench"), REGISTRY)

    async def ours(_: int) -> None:
        for _ in range(DECODES):
            decode(record.value, record.headers, REGISTRY, topic=record.topic)

    async def bare(_: int) -> None:
        for _ in range(DECODES):
            MenteeRegistered.model_validate_json(record.value)

    return Result(
        "codec decode",
        "CloudEvents headers + registry lookup + upcast + validation",
        await rate(ours, DECODES),
        "model_validate_json of the value",
        await rate(bare, DECODES),
        0.30,
        DECODES,
    )
