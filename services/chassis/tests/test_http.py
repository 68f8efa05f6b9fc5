"""The shared HTTP layer: body size limit and error bodies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, Request
from mentornet_chassis.http import create_http_app
from mentornet_chassis.metrics import Metrics

pytestmark = pytest.mark.unit


async def always_ready() -> dict[str, bool]:
    return {}


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_oversized_body_gets_413_with_a_reason() -> None:
    echo = APIRouter()

    @echo.post("/echo")
    async def echo_body(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    app = create_http_app("test", Metrics("test"), always_ready, [echo], max_body_bytes=2048)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        declared = await c.post("/echo", content=b"x" * 4096)
        streamed = await c.post("/echo", content=chunks(b"x" * 1500, b"x" * 1500))
        small = await c.post("/echo", content=b"x" * 100)
    assert declared.status_code == 413
    assert declared.json() == {
        "error": "payload_too_large",
        "field": "body",
        "reason": "request body over 2048 bytes",
    }
    assert streamed.status_code == 413
    assert small.json() == {"bytes": 100}
