"""`mentornet topics create` (docker-compose's init step) on the real broker: every
registry topic with its partition count, and nothing created twice."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from mentornet_contracts import Registry, Topic
from mentornet_contracts.budget import MAX_MESSAGE_BYTES
from mentornet_tooling import embedded
from mentornet_tooling.cli import main
from mentornet_tooling.testing.backends import Endpoints

pytestmark = pytest.mark.integration


async def _partitions(bootstrap: str, names: list[str]) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(names)
    finally:
        await admin.close()
    return {t["topic"]: len(t["partitions"]) for t in described}


async def _configs(bootstrap: str, names: list[str], keys: set[str]) -> dict[str, dict[str, str]]:
    """The broker's own record of each topic's configs (`keys` of them), read back."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        responses = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, name) for name in names]
        )
    finally:
        await admin.close()
    found: dict[str, dict[str, str]] = {}
    for response in responses:
        for error, _, _, name, entries in response.resources:
            assert error == 0, (name, error)
            found[name] = {entry[0]: entry[1] for entry in entries if entry[0] in keys}
    return found


async def test_topics_are_created_once_with_their_partitions_and_retention(
    stack: Endpoints, unique: str
) -> None:
    """Retention and the record size limit are read back from the broker (Tansu keeps
    the configs a topic is created with, though it enforces neither)."""
    registry = Registry(
        topics=(
            Topic(f"test.{unique}.wide", "id", partitions=4, retention_days=7),
            Topic(f"test.{unique}.narrow", "id", partitions=1, retention_days=90),
        )
    )
    created = await embedded.ensure_topics(stack.bootstrap_servers, registry, retention=True)
    again = await embedded.ensure_topics(stack.bootstrap_servers, registry, retention=True)

    assert sorted(created) == sorted(t.name for t in registry.topics)
    assert again == []
    assert await _partitions(stack.bootstrap_servers, list(created)) == {
        f"test.{unique}.wide": 4,
        f"test.{unique}.narrow": 1,
    }
    keys = {"retention.ms", "max.message.bytes"}
    assert await _configs(stack.bootstrap_servers, list(created), keys) == {
        f"test.{unique}.wide": {
            "retention.ms": str(7 * 86_400_000),
            "max.message.bytes": str(MAX_MESSAGE_BYTES),
        },
        f"test.{unique}.narrow": {
            "retention.ms": str(90 * 86_400_000),
            "max.message.bytes": str(MAX_MESSAGE_BYTES),
        },
    }


async def test_the_command_reports_what_it_created(
    stack: Endpoints, capsys: pytest.CaptureFixture[str]
) -> None:
    """The stack already made the registry's topics, so a second run creates none."""
    code = await asyncio.to_thread(
        main, ["topics", "create", "--bootstrap-servers", stack.bootstrap_servers]
    )
    assert code == 0
    assert capsys.readouterr().out.strip() == (
        f"created 0 topics on {stack.bootstrap_servers}: none needed"
    )
