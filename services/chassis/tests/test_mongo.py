"""The readiness ping: a store that accepts connections but never answers (stopped,
overloaded) makes it say no within its timeout, rather than hold /readyz."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from mentornet_chassis.store.mongo import ping
from pymongo import AsyncMongoClient

pytestmark = pytest.mark.unit


async def test_ping_says_no_in_time_when_the_server_never_answers() -> None:
    accepted: list[asyncio.StreamWriter] = []

    async def silent(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        f"mongodb://127.0.0.1:{port}", serverSelectionTimeoutMS=30_000
    )
    try:
        started = time.monotonic()
        assert await ping(client, timeout_s=0.5) is False
        assert time.monotonic() - started < 2
        assert accepted, "the client did reach the server"
    finally:
        await client.close()
        for writer in accepted:
            writer.close()
        server.close()
        await server.wait_closed()
