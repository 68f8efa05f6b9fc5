"""Every service's probes, public and documented: /livez (the process runs), /readyz
(it can take traffic), /healthz (its work moves: process/health.py), /metrics."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel

from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.process.health import HealthReport
from mentornet_chassis.process.metrics import CONTENT_TYPE, Metrics

ReadinessCheck = Callable[[], Awaitable[dict[str, bool]]]


class Liveness(BaseModel):
    status: Literal["ok"]
    service: str


class Readiness(BaseModel):
    ready: bool
    service: str
    checks: dict[str, bool]
    """Each dependency and whether it answered (mongodb, kafka, partitions...)."""


class RelayHealth(BaseModel):
    pending: int
    oldest_unsent_s: float
    failing: int
    poisoned: int


class PartitionHealth(BaseModel):
    topic: str
    partition: int
    next_offset: int | None
    end_offset: int | None
    lag: int | None
    still_for_s: float
    stalled: bool


class Health(BaseModel):
    service: str
    status: Literal["ok", "stalled"]
    problems: list[str]
    """What has not moved, and what to do about it."""
    relay: RelayHealth
    partitions: list[PartitionHealth]
    stall_after_s: float


def probes(
    service: str,
    metrics: Metrics,
    readiness: ReadinessCheck,
    health: Callable[[], HealthReport] | None,
) -> APIRouter:
    router = guarded_router(tags=["health"])
    probe = allow("probes.read", Grant.PUBLIC)

    @router.get("/livez", response_model=Liveness, **probe)
    async def livez() -> Liveness:
        return Liveness(status="ok", service=service)

    @router.get(
        "/readyz",
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "Not ready: a check failed."}},
        **probe,
    )
    async def readyz(response: Response) -> Readiness:
        checks = await readiness()
        ready = all(checks.values())
        response.status_code = 200 if ready else 503
        return Readiness(ready=ready, service=service, checks=checks)

    if health is not None:

        @router.get(
            "/healthz",
            response_model=Health,
            responses={503: {"model": Health, "description": "Stalled: `problems` says what."}},
            **probe,
        )
        async def healthz(response: Response) -> Health:
            """Whether events get out and partitions move; 503 names what has not moved."""
            report = health()
            response.status_code = 503 if report.stalled else 200
            return Health.model_validate(report.body)

    @router.get(
        "/metrics",
        **allow("metrics.read", Grant.PUBLIC),
        response_class=Response,
        responses={
            200: {
                "description": "Prometheus text format.",
                "content": {CONTENT_TYPE: {"schema": {"type": "string"}}},
            }
        },
    )
    async def metrics_endpoint() -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    return router
