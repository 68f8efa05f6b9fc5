"""The shared HTTP layer: body size limit and error bodies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import Request
from mentornet_chassis.errors import Conflict
from mentornet_chassis.http.app import create_http_app
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.process.metrics import Metrics
from pydantic import BaseModel, Field

pytestmark = pytest.mark.unit
OPEN = allow("test.open", Grant.PUBLIC)


async def always_ready() -> dict[str, bool]:
    return {}


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_oversized_body_gets_413_with_a_reason() -> None:
    echo = guarded_router()

    @echo.post("/echo", **OPEN)
    async def echo_body(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    app = create_http_app("test", Metrics("test"), always_ready, [echo], max_body_bytes=2048)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        declared = await c.post("/echo", content=b"x" * 4096)
        streamed = await c.post("/echo", content=chunks(b"x" * 1500, b"x" * 1500))
        small = await c.post("/echo", content=b"x" * 100)
    assert declared.status_code == 413
    problem = {"field": "body", "reason": "request body over 2048 bytes"}
    assert declared.json() == {"error": "payload_too_large", **problem, "errors": [problem]}
    assert streamed.status_code == 413
    assert small.json() == {"bytes": 100}


class Body(BaseModel):
    name: str = Field(min_length=1)
    size: int = Field(ge=1)


def shape_app() -> httpx.AsyncClient:
    router = guarded_router()

    @router.post("/things", **OPEN)
    async def create(body: Body) -> dict[str, str]:
        return {"name": body.name}

    @router.post("/refuse", **OPEN)
    async def refuse() -> dict[str, str]:
        raise Conflict("email", "already registered")

    @router.post("/domain", **OPEN)
    async def domain() -> dict[str, str]:
        Body.model_validate({"name": "x", "size": 0})
        return {}

    app = create_http_app("test", Metrics("test"), always_ready, [router])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_every_error_has_one_shape_first_problem_on_top_all_under_errors() -> None:
    async with shape_app() as http:
        invalid = await http.post("/things", json={"name": "", "size": 0})
        refused = await http.post("/refuse")
        domain = await http.post("/domain")
    assert invalid.status_code == 422
    body = invalid.json()
    assert [e["field"] for e in body["errors"]] == ["body.name", "body.size"]
    assert (body["field"], body["reason"]) == ("body.name", body["errors"][0]["reason"])
    assert refused.status_code == 409
    assert refused.json() == {
        "error": "conflict",
        "field": "email",
        "reason": "already registered",
        "errors": [{"field": "email", "reason": "already registered"}],
    }
    assert domain.status_code == 422
    assert domain.json()["field"] == "size"
    assert set(invalid.json()) == set(refused.json()) == set(domain.json())


async def test_the_frameworks_own_errors_have_the_same_shape() -> None:
    async with shape_app() as http:
        unreadable = await http.post(
            "/things", content=b'{"name": "\xff', headers={"content-type": "application/json"}
        )
        nowhere = await http.get("/nowhere")
        wrong_method = await http.get("/things")
    assert unreadable.status_code in (400, 422)
    assert nowhere.status_code == 404
    assert wrong_method.status_code == 405
    for response in (unreadable, nowhere, wrong_method):
        assert set(response.json()) == {"error", "field", "reason", "errors"}


async def test_upload_routes_have_their_own_limit() -> None:
    router = guarded_router()

    @router.post("/uploads/{name}", **OPEN)
    @router.post("/echo", **OPEN)
    async def receive(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    app = create_http_app(
        "test",
        Metrics("test"),
        always_ready,
        [router],
        max_body_bytes=2048,
        body_limits={r"^/uploads/": 8192},
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        upload = await c.post("/uploads/people", content=b"x" * 6000)
        too_big = await c.post("/uploads/people", content=b"x" * 9000)
        elsewhere = await c.post("/echo", content=b"x" * 6000)
    assert upload.json() == {"bytes": 6000}
    assert too_big.status_code == 413
    assert too_big.json()["reason"] == "request body over 8192 bytes"
    assert elsewhere.status_code == 413
