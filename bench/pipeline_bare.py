"""The pipeline's baselines: bare aiokafka + PyMongo loops, one record at a time.

- `one_write`: the least a consumer doing the matcher's job could do. One upsert of
  the person's document that sets the state, appends the event id to its inbox and
  the output to its outbox; produce the output (acks=all); commit the offset.
- `same_writes`: the documents the matcher writes for a mentee it proposes a mentor to,
  written the plainest way, without the reads that decide them: the candidate (state
  and inbox), the waitlist entry claimed, the mentor's load, the match with its outbox
  entry, the waitlist entry marked placed; produce the proposal; empty the match's
  outbox; commit. The mentor is picked by the key's hash.

Neither decodes the CloudEvents headers beyond the id, validates, dead-letters, parks,
retries, reads, scores or relays.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from mentornet_chassis.store.aggregates import INBOX_WINDOW
from mentornet_contracts.catalogue import MATCHES, PARTICIPANTS
from mentornet_tooling.testing.kafka import header, start_group_at_log_end
from mentornet_tooling.testing.poll import eventually
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

OUTPUT_TYPE = "bench.bare.output"
"""The ce_type of the bare loop's output records, which the benchmark waits for."""

Doc = dict[str, object]
Send = Callable[[str, bytes], Awaitable[object]]
"""Produce a value under a key to the matches topic and wait for the acknowledgement."""
Writes = Callable[[AsyncDatabase[Doc], Send, str, str, bytes], Awaitable[None]]
"""One record's work: (database, send, key, event id, value)."""
MENTORS = 150


def _output(key: str, event_id: str) -> str:
    return json.dumps({"mentee_id": key, "cause": event_id})


async def one_write(
    db: AsyncDatabase[Doc], send: Send, key: str, event_id: str, value: bytes
) -> None:
    output = _output(key, event_id)
    await db["people"].update_one(
        {"_id": key},
        {
            "$set": {"state": json.loads(value)},
            "$inc": {"version": 1},
            "$push": {
                "inbox": {"$each": [event_id], "$slice": -INBOX_WINDOW},
                "outbox": {"id": event_id, "value": output},
            },
        },
        upsert=True,
    )
    await send(key, output.encode())


async def same_writes(
    db: AsyncDatabase[Doc], send: Send, key: str, event_id: str, value: bytes
) -> None:
    match_id, output = f"match-{event_id}", _output(key, event_id)
    mentor = f"mentor-{zlib.crc32(key.encode()) % MENTORS}"
    await db["candidates"].update_one(
        {"_id": key},
        {
            "$set": {"state": json.loads(value)},
            "$inc": {"version": 1},
            "$push": {"inbox": event_id},
        },
        upsert=True,
    )
    await db["waitlist"].update_one(
        {"_id": key}, {"$set": {"state.offer": match_id}, "$inc": {"version": 1}}, upsert=True
    )
    await db["mentor_loads"].update_one(
        {"_id": mentor},
        {"$set": {f"state.holds.{match_id}": {"hours": 1.5}}, "$inc": {"version": 1}},
        upsert=True,
    )
    await db["matches"].insert_one(
        {
            "_id": match_id,
            "version": 1,
            "state": {"mentee_id": key, "mentor_id": mentor, "status": "proposed"},
            "outbox": [{"id": event_id, "value": output}],
            "pending": True,
        }
    )
    await db["waitlist"].update_one(
        {"_id": key}, {"$set": {"state.placed": True}, "$inc": {"version": 1}}
    )
    await send(key, output.encode())
    await db["matches"].update_one(
        {"_id": match_id, "version": 1}, {"$set": {"outbox": [], "pending": False, "version": 2}}
    )


async def _loop(
    consumer: AIOKafkaConsumer,
    producer: AIOKafkaProducer,
    mongo_uri: str,
    database: str,
    writes: Writes,
) -> None:
    client: AsyncMongoClient[Doc] = AsyncMongoClient(mongo_uri)
    db = client[database]

    async def send(key: str, value: bytes) -> object:
        headers = [("ce_type", OUTPUT_TYPE.encode())]
        return await producer.send_and_wait(MATCHES.name, value, key=key.encode(), headers=headers)

    try:
        while True:
            batches = await consumer.getmany(timeout_ms=200, max_records=100)
            for tp, records in batches.items():
                for record in records:
                    event_id = header(record, "ce_id") or ""
                    await writes(db, send, record.key.decode(), event_id, record.value)
                    await consumer.commit({tp: record.offset + 1})
    finally:
        await client.drop_database(database)
        await client.close()


@contextlib.asynccontextmanager
async def bare_loop(
    bootstrap: str, mongo_uri: str, group: str, database: str, writes: Writes = one_write
) -> AsyncIterator[None]:
    """The loop running in this event loop, its group at the participants' log end and
    its partitions assigned."""
    await start_group_at_log_end(bootstrap, group, [PARTICIPANTS.name])
    consumer = AIOKafkaConsumer(
        PARTICIPANTS.name, bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False)
    await consumer.start()
    await producer.start()
    task = asyncio.create_task(_loop(consumer, producer, mongo_uri, database, writes))

    async def assigned() -> bool:
        if task.done():
            task.result()
        return bool(consumer.assignment())

    try:
        await eventually(assigned, timeout=30, what="the bare loop's partitions")
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await consumer.stop()
        await producer.stop()
