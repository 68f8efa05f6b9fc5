"""Every operation of every service's committed OpenAPI document, called by every kind
of principal, against live services on the embedded stack: what each answers must be
what the committed policy (each operation's x-mentornet-permission) says.

Principals: six bad credentials (no token, expired, wrong key, alg none, wrong issuer,
wrong audience), coordinators, reviewers and sponsors in and out of the program's scope, a
taxonomy curator, a service account, the mentee themself, their mentor, and another
person. Expected refusals must be exactly the guard's (401, 403 naming who may, or 404
where existence must not leak); allowed calls must get past the guard (the handler may
still say 409 or 422: bodies are sent as `[]` so nothing is changed by them).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from mentornet_chassis.http.policy import EXTENSION, Grant, Permission, Resource
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.conftest import ServiceOn
from tests.support.access_world import (
    AccessWorld,
    bad_tokens,
    bearer,
    build_world,
    start_services,
)

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).parents[2] / "docs" / "api"
SERVICES = ("intake", "matcher", "scheduler", "feedback", "qa", "notifier")
LAST = ("/participants/{participant_id}/withdraw", "/participants/{participant_id}")
"""What ends the world's mentee goes last: withdrawal, then erasure."""


@dataclass(frozen=True)
class Operation:
    service: str
    method: str
    path: str
    permission: Permission
    has_body: bool


@dataclass(frozen=True)
class Caller:
    """Who calls, as the test itself understands the token (not through the chassis's
    Principal, so a fault there shows up here as a difference)."""

    name: str
    headers: dict[str, str]
    subject: str = ""
    roles: frozenset[str] = frozenset()
    programs: frozenset[str] = frozenset()
    enrolments: frozenset[str] = frozenset()
    """The participant ids of the person the subject names (one per program)."""
    valid: bool = True
    """False: credentials the guard must refuse with 401."""


def operations() -> list[Operation]:
    found = []
    for service in SERVICES:
        document = json.loads((DOCS / f"{service}.json").read_text())
        for path, methods in document["paths"].items():
            for method, operation in methods.items():
                found.append(
                    Operation(
                        service,
                        method.upper(),
                        path,
                        Permission.of(operation[EXTENSION]),
                        "requestBody" in operation,
                    )
                )
    reads = [o for o in found if o.method == "GET"]
    changes = [o for o in found if o.method != "GET" and o.path not in LAST]
    last = sorted((o for o in found if o.method != "GET" and o.path in LAST), key=_last_order)
    return reads + changes + last


def _last_order(operation: Operation) -> int:
    return LAST.index(operation.path)


def callers(world: AccessWorld) -> list[Caller]:
    u, a, b = world.unique, world.program_a, world.program_b

    def who(name: str, subject: str, role: str, *programs: str) -> Caller:
        claims = {"programs": list(programs)} if programs else {}
        headers = bearer(subject, role, **claims)
        return Caller(name, headers, subject, frozenset({role}), frozenset(programs))

    def person(name: str, who_in_world: str, enrolment: str, role: str) -> Caller:
        """Signed in as themself: their own subject, never their participant id."""
        subject = world.sub(who_in_world)
        headers = bearer(subject, role)
        return Caller(name, headers, subject, frozenset({role}), enrolments=frozenset({enrolment}))

    bad = [Caller(name, headers, valid=False) for name, headers in bad_tokens(f"svc-{u}").items()]
    return [
        *bad,
        who("coordinator of the program", f"c-{u}", "coordinator", a),
        who("coordinator of another program", f"c2-{u}", "coordinator", b),
        who("reviewer of the program", f"r-{u}", "reviewer", a),
        who("reviewer of another program", f"r2-{u}", "reviewer", b),
        who("sponsor of the program", f"s-{u}", "sponsor", a),
        who("sponsor of another program", f"s2-{u}", "sponsor", b),
        who("taxonomy curator", f"t-{u}", "taxonomy_curator"),
        who("service account", f"svc-{u}", "service"),
        person("the mentee themself", "mentee", world.mentee, "mentee"),
        person("their mentor", "mentor", world.mentor, "mentor"),
        person("another person", "other", world.other, "mentee"),
    ]


def resources(world: AccessWorld) -> dict[str, Resource | None]:
    """What each resource kind in the paths below is, as the world built it."""
    a, mentor, mentee = world.program_a, world.mentor, world.mentee
    program = frozenset({a})
    creator = {Grant.COORDINATOR: frozenset({f"c-{world.unique}"})}
    pair = Resource.of_match({"program_id": a, "mentor_id": mentor, "mentee_id": mentee})
    person = Resource(program, {Grant.SELF: frozenset({mentee}), **creator})
    return {
        "program": Resource(program, creator),
        "participant": person,
        "match": pair,
        "session": pair,
        "case": pair,
        "item": pair,
        "request": Resource.of_person(mentee, {a}),
        "sample": Resource(program),
        "job": Resource(program, creator),
        "mentor": Resource.of_person(mentor, {a}),
        "cohort": None,
    }


async def notifier_knows(notifier: RunningService, world: AccessWorld) -> None:
    """The notifier reads registrations from the topic: wait until it has the mentee's."""

    async def known() -> bool:
        path = f"/participants/{world.mentee}/notification-preferences"
        coordinator = bearer(f"c-{world.unique}", "coordinator", programs=[world.program_a])
        answer = await notifier.http.get(path, headers=coordinator)
        return bool(answer.status_code == 200)

    await eventually(known, timeout=30, what="the notifier to know the world's mentee")


def path_of(template: str, world: AccessWorld, clock: MovableClock) -> str:
    values = {
        "program_id": world.program_a,
        "participant_id": world.mentee,
        "match_id": world.match_id,
        "session_id": world.session_id,
        "request_id": world.request_id,
        "item_id": world.item_id,
        "case_id": world.case_id,
        "sample_id": world.sample_id,
        "job_id": world.job_id,
        "mentor_id": world.mentor,
        "cohort_id": f"cohort-none-{world.unique}",
        "skill_id": "python",
        "goal_id": "g1",
        "experiment_id": f"exp-none-{world.unique}",
        "milestone_id": "m1",
        "proposal_id": f"ga-none-{world.unique}",
        "period": clock.now.strftime("%Y-%m"),
        "role": "mentee",
        "figure": "network_totals" if template.startswith("/network/") else "headline",
    }
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    assert "{" not in template, f"no value for a parameter of {template}"
    return template


PERSONAL = {Grant.SELF, Grant.MENTOR, Grant.MENTEE}
SCOPED = {Grant.COORDINATOR, Grant.REVIEWER, Grant.SPONSOR}


def holds(grant: Grant, caller: Caller, resource: Resource | None) -> bool:
    """docs/security.md's rule for one grant, written out again here."""
    if grant == Grant.SIGNED_IN:
        return True
    if grant in PERSONAL:
        ids = caller.enrolments | {caller.subject}
        return resource is not None and bool(ids & resource.people.get(grant, frozenset()))
    if grant.value not in caller.roles:
        return False
    if grant not in SCOPED or resource is None:
        return True
    owners = resource.people.get(grant, frozenset())
    return bool(caller.programs & resource.programs) or caller.subject in owners


def expected(operation: Operation, caller: Caller, resource: Resource | None) -> int | None:
    """The guard's answer: 401, 403 or 404; None when the call is let through."""
    permission = operation.permission
    if Grant.PUBLIC in permission.grants:
        return None
    if not caller.valid:
        return 401
    could = any(
        g in PERSONAL or g == Grant.SIGNED_IN or g.value in caller.roles for g in permission.grants
    )
    if not could:
        return 403
    if permission.on is not None and resource is None:
        return 404
    if any(holds(g, caller, resource) for g in permission.grants):
        return None
    return 404 if permission.hide else 403


def refused_by_guard(response: httpx.Response) -> int | None:
    """The status, when the answer is one of the guard's refusals."""
    if response.status_code not in (401, 403, 404):
        return None
    body = response.json()
    reason = str(body.get("reason", ""))
    guard = {
        401: body.get("field") == "Authorization",
        403: " is for: " in reason,
        404: reason.startswith("no such ") or reason.startswith("no cohort "),
    }
    return response.status_code if guard[response.status_code] else None


def in_order(cells: list[tuple[Caller, int | None]]) -> Iterator[tuple[Caller, int | None]]:
    """Refusals first, so what an allowed call changes cannot hide a leak; on erasure the
    person themself goes first among those allowed."""
    denied = [c for c in cells if c[1] is not None]
    allowed = [c for c in cells if c[1] is None]
    allowed.sort(key=lambda c: c[0].name != "the mentee themself")
    yield from denied + allowed


async def test_every_operation_answers_every_principal_as_the_policy_says(
    stack: Endpoints,
    scheduler_on: ServiceOn,
    feedback_on: ServiceOn,
    qa_on: ServiceOn,
    notifier_on: ServiceOn,
    unique: str,
) -> None:
    clock = MovableClock(datetime.now(UTC))
    async with AsyncExitStack() as stack_of:
        ons = (scheduler_on, feedback_on, qa_on, notifier_on)
        services = await start_services(stack_of, stack, clock, *ons)
        world = await build_world(stack, services, clock, unique)
        await notifier_knows(services["notifier"], world)
        kinds = resources(world)
        everyone = callers(world)
        mismatches: list[str] = []
        calls = 0
        for operation in operations():
            resource = kinds.get(operation.permission.on or "", None)
            cells = [(c, expected(operation, c, resource)) for c in everyone]
            for caller, want in in_order(cells):
                response = await services[operation.service].http.request(
                    operation.method,
                    path_of(operation.path, world, clock),
                    headers=caller.headers,
                    content=b"[]" if operation.has_body else None,
                )
                calls += 1
                got = refused_by_guard(response)
                if got != want:
                    mismatches.append(
                        f"{operation.service} {operation.method} {operation.path} as"
                        f" {caller.name}: expected {want or 'through'}, got"
                        f" {response.status_code} {response.text[:160]}"
                    )
    print(f"access matrix: {len(operations())} operations x {len(everyone)} principals = {calls}")
    assert not mismatches, "\n".join(mismatches)
