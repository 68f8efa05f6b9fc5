"""The access log and the request id: every request gets an id (the caller's
`X-Request-Id` when it is a sane one, else a new one), answered in `X-Request-Id`, bound
to every log line written while it is handled, and made the correlation id of the
events it causes; one JSON line per request records method, path, status and time.

The path is logged without its query string: signed links (dashboards, calendar feeds,
unsubscribe) carry their keys there. Probes are logged only when they fail, so a
cluster polling them every few seconds does not bury the requests that matter."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import structlog
from mentornet_contracts.codec import correlate_with_request, reset_correlation

from mentornet_chassis.process.logging import get_logger

HEADER = b"x-request-id"
SANE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
QUIET_PATHS = frozenset({"/livez", "/readyz", "/metrics"})

log = get_logger("mentornet.access")


def request_id(scope: dict[str, Any]) -> str:
    """The caller's id if it is one we can log and pass on safely, else a new one."""
    for name, value in scope.get("headers", []):
        if name.lower() == HEADER:
            given = str(value.decode("latin-1"))
            if SANE.match(given):
                return given
    return uuid.uuid4().hex


class AccessLog:
    """ASGI middleware, outermost: it sees every answer, refusals by the others included."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid, started, status = request_id(scope), time.perf_counter(), [500]

        async def answering(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = [*message.get("headers", []), (HEADER, rid.encode())]
                message = {**message, "headers": headers}
            await send(message)

        token = correlate_with_request(rid)
        try:
            with structlog.contextvars.bound_contextvars(request_id=rid):
                await self.app(scope, receive, answering)
        finally:
            reset_correlation(token)
            _record(scope, status[0], started, rid)


def _record(scope: dict[str, Any], status: int, started: float, rid: str) -> None:
    path = str(scope.get("path", ""))
    if path in QUIET_PATHS and status < 400:
        return
    log.info(
        "request",
        method=scope.get("method"),
        path=path,
        status=status,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
        request_id=rid,
    )
