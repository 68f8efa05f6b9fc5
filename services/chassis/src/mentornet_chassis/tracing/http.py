"""A SERVER span for every HTTP request but the probes, continuing the caller's trace
when the request carries a W3C `traceparent`. ASGI middleware, outermost, so the access
log line and every refusal by the inner layers are inside the span."""

from __future__ import annotations

from typing import Any

from opentelemetry.trace import SpanKind, StatusCode, Tracer

from mentornet_chassis.http.access import QUIET_PATHS
from mentornet_chassis.tracing.propagation import TRACEPARENT, TRACESTATE, context_of


class TraceRequests:
    def __init__(self, app: Any, tracer: Tracer) -> None:
        self.app = app
        self.tracer = tracer

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") in QUIET_PATHS:
            await self.app(scope, receive, send)
            return
        method = str(scope.get("method", "GET"))
        status = [500]

        async def answering(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        with self.tracer.start_as_current_span(
            method,
            context=context_of(_trace_headers(scope)),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.path": str(scope.get("path", ""))},
        ) as span:
            try:
                await self.app(scope, receive, answering)
            finally:
                route = getattr(scope.get("route"), "path", None)
                if route:
                    span.update_name(f"{method} {route}")
                    span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status[0])
                if status[0] >= 500:
                    span.set_status(StatusCode.ERROR)


def _trace_headers(scope: dict[str, Any]) -> dict[str, str]:
    wanted = {TRACEPARENT.encode(), TRACESTATE.encode()}
    return {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", [])
        if name.lower() in wanted
    }
