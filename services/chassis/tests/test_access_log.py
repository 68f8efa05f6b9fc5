"""Every request has an id: the caller's X-Request-Id when it is a sane one, else a new
one; it is answered in X-Request-Id, becomes the correlation id of the events created
while the request is handled, and the access log records one line per request (its
path without the query string; probes only when they fail)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from mentornet_chassis.http.access import AccessLog
from mentornet_contracts import new_envelope
from mentornet_contracts.events.participants import ParticipantWithdrawn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from structlog.testing import capture_logs

pytestmark = pytest.mark.unit


async def register(request: Request) -> JSONResponse:
    envelope = new_envelope(ParticipantWithdrawn(participant_id="p-1"), "intake")
    return JSONResponse({"correlation_id": envelope.correlation_id}, status_code=201)


async def ready(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


def client() -> httpx.AsyncClient:
    app: Any = Starlette(
        routes=[Route("/people", register, methods=["POST"]), Route("/readyz", ready)]
    )
    logged: Any = AccessLog(app)
    transport = httpx.ASGITransport(app=logged)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_the_callers_request_id_is_answered_logged_and_correlates_events() -> None:
    with capture_logs() as logs:
        async with client() as http:
            answer = await http.post("/people?key=secret", headers={"X-Request-Id": "req-42"})
    assert answer.headers["x-request-id"] == "req-42"
    assert answer.json()["correlation_id"] == "req-42"
    [line] = [entry for entry in logs if entry["event"] == "request"]
    assert (line["method"], line["path"], line["status"]) == ("POST", "/people", 201)
    assert line["request_id"] == "req-42"
    assert line["duration_ms"] >= 0
    assert "secret" not in str(logs)


async def test_without_a_sane_id_each_request_gets_a_new_one() -> None:
    async with client() as http:
        first = await http.post("/people")
        second = await http.post("/people", headers={"X-Request-Id": "bad id\twith spaces"})
    ids = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(ids) == 2
    assert "bad id\twith spaces" not in ids
    assert first.json()["correlation_id"] == first.headers["x-request-id"]


async def test_outside_a_request_an_event_starts_its_own_chain() -> None:
    async with client() as http:
        await http.post("/people", headers={"X-Request-Id": "req-7"})
    envelope = new_envelope(ParticipantWithdrawn(participant_id="p-1"), "intake")
    assert envelope.correlation_id == envelope.id


async def test_probes_are_logged_only_when_they_fail() -> None:
    with capture_logs() as logs:
        async with client() as http:
            assert (await http.get("/readyz")).status_code == 200
            assert (await http.get("/nowhere")).status_code == 404
    assert [(entry["path"], entry["status"]) for entry in logs] == [("/nowhere", 404)]
