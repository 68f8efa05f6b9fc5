"""The registry's topics on a cluster: created once, with their partitions and, on real
Kafka, their retention and record size (a deployment step: `mentornet-service topics
create`)."""

from __future__ import annotations

import asyncio

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from mentornet_contracts import Registry
from mentornet_contracts.budget import MAX_MESSAGE_BYTES


async def ensure_topics(
    bootstrap: str,
    registry: Registry,
    timeout_s: float = 30,
    replication: int = 1,
    retention: bool = False,
) -> list[str]:
    """Create every registry topic that does not exist yet; return the ones created.
    `retention`: also set each topic's retention.ms and max.message.bytes (for real
    Kafka; Tansu keeps the settings but holds records in memory only, whatever their
    size)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    async with asyncio.timeout(timeout_s):
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            wanted = [
                NewTopic(
                    t.name,
                    t.partitions,
                    replication,
                    topic_configs=(
                        {
                            "retention.ms": str(t.retention_days * 86_400_000),
                            "max.message.bytes": str(MAX_MESSAGE_BYTES),
                        }
                        if retention
                        else None
                    ),
                )
                for t in registry.topics
                if t.name not in existing
            ]
            if wanted:
                await admin.create_topics(wanted)
            return [t.name for t in wanted]
        finally:
            await admin.close()
