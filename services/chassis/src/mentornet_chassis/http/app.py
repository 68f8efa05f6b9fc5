"""The HTTP side every service shares: /livez, /readyz, /metrics, and error bodies."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry.trace import Tracer
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mentornet_chassis.errors import Refusal, error_body, problems_of
from mentornet_chassis.http import guard as guarding
from mentornet_chassis.http import openapi
from mentornet_chassis.http.access import AccessLog
from mentornet_chassis.http.answers import IdempotencyStore
from mentornet_chassis.http.bodylimit import BodyLimit
from mentornet_chassis.http.guard import Guard
from mentornet_chassis.http.idempotency import Idempotency, Subject
from mentornet_chassis.http.probes import ReadinessCheck, probes
from mentornet_chassis.http.provided import provide
from mentornet_chassis.process.health import HealthReport
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.store.aggregate_docs import EventTooLarge
from mentornet_chassis.tracing.http import TraceRequests

_ERROR_NAMES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    415: "unsupported_media_type",
}


def create_http_app(
    service: str,
    metrics: Metrics,
    readiness: ReadinessCheck,
    routers: Sequence[APIRouter] = (),
    max_body_bytes: int = 1_048_576,
    body_limits: Mapping[str, int] = {},
    idempotency: tuple[IdempotencyStore, Subject] | None = None,
    health: Callable[[], HealthReport] | None = None,
    guard: Guard | None = None,
    provides: Sequence[object] = (),
    server_url: str | None = None,
    tracer: Tracer | None = None,
) -> FastAPI:
    """`guard` checks every route's declared permission (a guard verifying no tokens
    refuses every route that is not public: enough for documents). `provides`: what the
    routes ask for by type (provided.py). `server_url`: the `servers` entry of the
    published document (a running service leaves it out: it is wherever it was asked).
    `tracer`: a span for every request (tracing/http.py)."""
    app = FastAPI(title=f"MentorNet {service}", version="0.1.0")
    provide(app, provides)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        body = error_body("validation_failed", problems_of(exc.errors()))
        return JSONResponse(status_code=422, content=body)

    @app.exception_handler(ValidationError)
    async def _domain_validation(_: Request, exc: ValidationError) -> JSONResponse:
        body = error_body("validation_failed", problems_of(exc.errors()))
        return JSONResponse(status_code=422, content=body)

    @app.exception_handler(EventTooLarge)
    async def _event_too_large(_: Request, exc: EventTooLarge) -> JSONResponse:
        """Refused before anything is written: the request is fine, but what it would
        publish does not fit in one Kafka record."""
        body = error_body("event_too_large", [{"field": "body", "reason": str(exc)}])
        return JSONResponse(status_code=422, content=body)

    @app.exception_handler(Refusal)
    async def _api_error(_: Request, exc: Refusal) -> JSONResponse:
        return JSONResponse(status_code=exc.status, content=exc.body)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        """The framework's own errors (an unreadable body, an unknown path, a wrong
        method) in MentorNet's shape too."""
        field = "body" if exc.status_code == 400 else "path"
        body = error_body(
            _ERROR_NAMES.get(exc.status_code, "error"),
            [{"field": field, "reason": str(exc.detail)}],
        )
        return JSONResponse(status_code=exc.status_code, content=body, headers=exc.headers)

    app.include_router(probes(service, metrics, readiness, health))
    for router in routers:
        app.include_router(router)
    guarding.install(app, guard or Guard(None, {}))
    if idempotency is not None:
        store, subject = idempotency
        app.add_middleware(Idempotency, store=store, subject=subject)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes, overrides=body_limits)
    app.add_middleware(AccessLog)
    if tracer is not None:
        app.add_middleware(TraceRequests, tracer=tracer)
    openapi.install(app, server_url)
    return app
