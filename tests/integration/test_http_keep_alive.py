"""The HTTP server keeps an idle connection open for `http_keep_alive_s`, longer than
the 60 s idle timeout common in load balancers, so the server never closes a connection
a client is just reusing (that request fails with "server disconnected"). Checked on a
running service with the setting made short: the connection outlives a shorter pause and
is closed by the server after a longer one."""

from __future__ import annotations

import asyncio

import pytest
from mentornet_chassis.process.settings import ServiceSettings
from mentornet_intake.app import build as build_intake
from mentornet_intake.settings import IntakeSettings
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.services import running, service_settings

pytestmark = pytest.mark.integration

REQUEST = b"GET /livez HTTP/1.1\r\nHost: test\r\n\r\n"


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
    writer.write(REQUEST)
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    await asyncio.wait_for(reader.readexactly(length), timeout=10)
    return head


def test_the_default_outlives_a_load_balancers_idle_timeout() -> None:
    assert ServiceSettings.model_fields["http_keep_alive_s"].default > 60


async def test_an_idle_connection_stays_open_for_the_keep_alive_and_no_longer(
    stack: Endpoints,
) -> None:
    settings = service_settings(stack, IntakeSettings, "intake", http_keep_alive_s=1)
    async with running("intake", settings, build_intake):
        reader, writer = await asyncio.open_connection(settings.http_host, settings.http_port)
        try:
            assert (await _exchange(reader, writer)).startswith(b"HTTP/1.1 200")
            await asyncio.sleep(0.3)
            assert (await _exchange(reader, writer)).startswith(b"HTTP/1.1 200")
            await asyncio.sleep(2.5)
            closed = await asyncio.wait_for(reader.read(1), timeout=1)
            assert closed == b"", "the server closes the connection once the keep-alive passed"
        finally:
            writer.close()
