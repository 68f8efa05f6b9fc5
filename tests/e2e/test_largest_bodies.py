"""The largest valid body of every POST, PUT and PATCH of every service, sent to a real
program with real people, matches, sessions, surveys, samples and cases: each one
succeeds, or is refused with a 422 (or, where what it changes is already at a limit, a
409) that names the limit; none is a 5xx, and afterwards
every service's relay and partitions are moving (/healthz).

The bodies come from the committed OpenAPI documents (tests/support/largest_bodies.py),
so a route added to a service is sent its largest body here too: the test fails until
it has a place in the world below."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.conftest import ServiceOn
from tests.support.largest_bodies import Fillers, Route, json_routes, largest_body
from tests.support.world_bodies import WorldBodies

pytestmark = pytest.mark.e2e

NAMES_A_LIMIT = re.compile(
    r"at most|at least|should have|less than or equal|greater than or equal|\blimit\b|bytes",
    re.IGNORECASE,
)


class Sent:
    """Every route's largest body, sent once; what each answered."""

    def __init__(self, unique: str, now: datetime) -> None:
        self.routes = json_routes()
        self.unique = unique
        self.now = now
        self.answers: dict[Route, httpx.Response] = {}

    async def send(
        self,
        service: RunningService,
        route: Route,
        path: str,
        headers: dict[str, str],
        **extra: Any,
    ) -> httpx.Response:
        schema, document = self.routes[route]
        body = largest_body(schema, document, Fillers(self.unique, self.now, extra))
        response = await service.http.request(route[1], path, json=body, headers=headers)
        assert response.status_code < 500, f"{route}: {response.status_code} {response.text}"
        if response.status_code >= 400:
            problem = response.json()
            assert response.status_code in (409, 422), f"{route}: {response.status_code} {problem}"
            assert NAMES_A_LIMIT.search(problem["reason"]), f"{route}: {problem}"
        self.answers[route] = response
        return response


async def test_the_largest_body_of_every_route_succeeds_or_names_a_limit(
    stack: Endpoints,
    intake: RunningService,
    matcher: RunningService,
    scheduler_on: ServiceOn,
    feedback_on: ServiceOn,
    qa_on: ServiceOn,
    notifier_on: ServiceOn,
    unique: str,
) -> None:
    clock = MovableClock(datetime.now(UTC))
    sent = Sent(unique, clock.now)
    async with (
        scheduler_on(clock) as scheduler,
        feedback_on(clock) as feedback,
        qa_on(clock) as qa,
        notifier_on(clock) as notifier,
    ):
        services = (intake, matcher, scheduler, feedback, qa, notifier)
        world = WorldBodies(stack, *services[:5], clock, unique, sent, notifier)
        await world.run()
        assert sorted(sent.answers) == sorted(sent.routes), "routes not sent their largest body"
        for route, answer in sorted(sent.answers.items()):
            size = len(answer.request.content)
            why = answer.json().get("reason", "") if answer.status_code >= 400 else ""
            print(f"{answer.status_code} {size:>9,} bytes  {' '.join(route)} {why}")
        for service in services:

            async def moving(service: RunningService = service) -> bool:
                report = (await service.http.get("/healthz")).json()
                return bool(report["status"] == "ok" and report["relay"]["pending"] == 0)

            await eventually(moving, timeout=60, what="every relay and partition moving")
