"""The pipeline's baseline: the least a consumer doing the matcher's job could do.

Per record, with no framework and no matching: parse the value, one upsert of the
person's document that sets the state, appends the event id to its inbox and the
output to its outbox, produce the output to the matches topic (acks=all) and commit
the record's offset. Nothing decodes the CloudEvents headers beyond the id, validates,
dead-letters, parks, retries, scores or relays.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from mentornet_chassis.aggregates import INBOX_WINDOW
from mentornet_chassis.testing.kafka import header, start_group_at_log_end
from mentornet_chassis.testing.poll import eventually
from mentornet_contracts.catalogue import MATCHES, PARTICIPANTS
from pymongo import AsyncMongoClient

OUTPUT_TYPE = "bench.bare.output"
"""The ce_type of the bare loop's output records, which the benchmark waits for."""

Doc = dict[str, object]


async def _loop(
    consumer: AIOKafkaConsumer, producer: AIOKafkaProducer, mongo_uri: str, database: str
) -> None:
    client: AsyncMongoClient[Doc] = AsyncMongoClient(mongo_uri)
    people = client[database]["people"]
    try:
        while True:
            batches = await consumer.getmany(timeout_ms=200, max_records=100)
            for tp, records in batches.items():
                for record in records:
                    event_id = header(record, "ce_id")
                    output = json.dumps({"mentee_id": record.key.decode(), "cause": event_id})
                    await people.update_one(
                        {"_id": record.key.decode()},
                        {
                            "$set": {"state": json.loads(record.value)},
                            "$inc": {"version": 1},
                            "$push": {
                                "inbox": {"$each": [event_id], "$slice": -INBOX_WINDOW},
                                "outbox": {"id": event_id, "value": output},
                            },
                        },
                        upsert=True,
                    )
                    await producer.send_and_wait(
                        MATCHES.name,
                        output.encode(),
                        key=record.key,
                        headers=[("ce_type", OUTPUT_TYPE.encode())],
                    )
                    await consumer.commit({tp: record.offset + 1})
    finally:
        await client.drop_database(database)
        await client.close()


@contextlib.asynccontextmanager
async def bare_loop(
    bootstrap: str, mongo_uri: str, group: str, database: str
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
    task = asyncio.create_task(_loop(consumer, producer, mongo_uri, database))

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
