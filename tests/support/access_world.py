"""The world the access matrix calls into (tests/e2e/test_access_matrix.py): program A
with a mentor and a mentee matched, sessions booked and one held, its feedback request,
a report with an action item the mentee owns, a QA sample and an open case, an import
job; program B with a person of its own. Every token carries the issuer and audience
the services are configured to require."""

from __future__ import annotations

import time
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import jwt
from mentornet_chassis.http.auth import DEV_KEY, mint
from mentornet_chassis.http.authsettings import AuthSettings
from mentornet_contracts.catalogue import FEEDBACK, MATCHES, QA, SESSIONS
from mentornet_intake.app import build as build_intake
from mentornet_intake.settings import IntakeSettings
from mentornet_matcher.app import build as build_matcher
from mentornet_matcher.settings import MatcherSettings
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService, running, service_settings

from tests.conftest import ServiceOn
from tests.support.events import events_of
from tests.support.format_bodies import GOAL, PYTHON, person
from tests.support.helpers import CONSENT, PROGRAM

ISSUER = "https://idp.mentornet.test"
AUDIENCE = "mentornet-api"


def bearer(subject: str, *roles: str, **claims: Any) -> dict[str, str]:
    issued = mint(DEV_KEY, subject, list(roles), issuer=ISSUER, audience=AUDIENCE, **claims)
    return {"Authorization": f"Bearer {issued}"}


def bad_tokens(subject: str) -> dict[str, dict[str, str]]:
    """Credentials every guarded route refuses with 401."""
    now = int(time.time())
    claims = {"sub": subject, "roles": ["service"], "iss": ISSUER, "aud": AUDIENCE}
    unsigned = jwt.encode({**claims, "exp": now + 600}, "", algorithm="none")
    other_key = mint("another-key-that-is-long-enough-32b", subject, ["service"])
    return {
        "no token": {},
        "expired": {
            "Authorization": "Bearer "
            + mint(DEV_KEY, subject, ["service"], ttl_s=-300, issuer=ISSUER, audience=AUDIENCE)
        },
        "wrong key": {"Authorization": f"Bearer {other_key}"},
        "alg none": {"Authorization": f"Bearer {unsigned}"},
        "wrong issuer": {
            "Authorization": "Bearer "
            + mint(DEV_KEY, subject, ["service"], issuer="https://evil.test", audience=AUDIENCE)
        },
        "wrong audience": {
            "Authorization": "Bearer "
            + mint(DEV_KEY, subject, ["service"], issuer=ISSUER, audience="another-app")
        },
    }


@dataclass
class AccessWorld:
    unique: str
    program_a: str = ""
    program_b: str = ""
    mentor: str = ""
    mentee: str = ""
    other: str = ""
    match_id: str = ""
    session_id: str = ""
    request_id: str = ""
    item_id: str = ""
    case_id: str = ""
    sample_id: str = ""
    job_id: str = ""
    mentee_body: dict[str, Any] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def sub(self, name: str) -> str:
        """The identity provider subject of one of the world's people."""
        return f"sub-{name}-{self.unique}"

    @property
    def creator(self) -> dict[str, str]:
        return bearer(f"c-{self.unique}", "coordinator")


async def start_services(
    stack_of: AsyncExitStack,
    stack: Endpoints,
    clock: MovableClock,
    scheduler_on: ServiceOn,
    feedback_on: ServiceOn,
    qa_on: ServiceOn,
    notifier_on: ServiceOn | None = None,
) -> dict[str, RunningService]:
    """The services (the notifier too when given), requiring this world's issuer and
    audience."""
    auth = AuthSettings(issuer=ISSUER, audience=AUDIENCE)
    intake = service_settings(stack, IntakeSettings, "intake", auth=auth)
    matcher = service_settings(stack, MatcherSettings, "matcher", auth=auth)
    return {
        "intake": await stack_of.enter_async_context(running("intake", intake, build_intake)),
        "matcher": await stack_of.enter_async_context(
            running("matcher", matcher, build_matcher, from_log_end=True)
        ),
        "scheduler": await stack_of.enter_async_context(scheduler_on(clock, auth=auth)),
        "feedback": await stack_of.enter_async_context(feedback_on(clock, auth=auth)),
        "qa": await stack_of.enter_async_context(qa_on(clock, auth=auth)),
        **(
            {"notifier": await stack_of.enter_async_context(notifier_on(clock, auth=auth))}
            if notifier_on
            else {}
        ),
    }


async def _ok(response: Any, *codes: int) -> dict[str, Any]:
    assert response.status_code in (codes or (200, 201, 202)), response.text
    body: dict[str, Any] = response.json()
    return body


async def build_world(
    stack: Endpoints,
    services: dict[str, RunningService],
    clock: MovableClock,
    unique: str,
) -> AccessWorld:
    world = AccessWorld(unique)
    intake, matcher, scheduler = services["intake"], services["matcher"], services["scheduler"]
    feedback, qa = services["feedback"], services["qa"]
    for name in ("a", "b"):
        spec = {**PROGRAM, "name": f"Program {name}", "qa_sample_rate": 1.0}
        spec |= {"approval_mode": "coordinator_review", "max_monthly_hours_per_mentor": 160}
        made = await _ok(await intake.http.post("/programs", json=spec, headers=world.creator))
        program_id = made["program_id"]
        await _ok(await intake.http.post(f"/programs/{program_id}/publish", headers=world.creator))
        setattr(world, f"program_{name}", program_id)
    a = world.program_a
    coordinator = bearer(f"c-{unique}", "coordinator", programs=[a])
    service = bearer(f"svc-{unique}", "service")

    async def register(role: str, body: dict[str, Any], headers: dict[str, str]) -> str:
        answer = await intake.http.post(f"/participants/{role}s", json=body, headers=headers)
        return str((await _ok(answer, 201))["participant_id"])

    mentor_body = person(unique, "mentor", a, skills=PYTHON)
    world.mentor = await register("mentor", mentor_body, bearer(world.sub("mentor"), "mentor"))
    world.mentee_body = person(
        unique,
        "mentee",
        a,
        goals=[GOAL],
        person_id=world.sub("mentee"),
        display_name=f"Ada Lovelace {unique}",
        diversity={"consent": CONSENT, "attributes": {"gender": "woman"}},
    )
    world.mentee = await register("mentee", world.mentee_body, world.creator)
    other_body = person(unique, "other", world.program_b, goals=[GOAL])
    world.other = await register("mentee", other_body, bearer(world.sub("other"), "mentee"))
    for someone in (world.mentor, world.mentee, world.other):

        async def known(someone: str = someone) -> bool:
            seen = await matcher.http.get(f"/candidates/{someone}", headers=service)
            return seen.status_code == 200

        await eventually(known, what=f"the matcher to know {someone}")
    await _ok(await matcher.http.post(f"/programs/{a}/matching-runs", headers=coordinator))
    [proposed] = await events_of(
        stack, MATCHES.name, "match.proposed", lambda e: e["mentee_id"] == world.mentee
    )
    world.match_id = proposed["match_id"]
    await _ok(await matcher.http.post(f"/matches/{world.match_id}/approve", headers=coordinator))
    mentor = bearer(world.sub("mentor"))
    await _ok(await matcher.http.post(f"/matches/{world.match_id}/accept", headers=mentor))
    booked = await events_of(
        stack, SESSIONS.name, "session.scheduled", lambda e: e["match_id"] == world.match_id
    )
    first = min(booked, key=lambda e: e["starts_at"])
    world.session_id = first["session_id"]
    clock.now = datetime.fromisoformat(first["starts_at"]) + timedelta(hours=1)
    await _ok(
        await scheduler.http.post(
            f"/sessions/{world.session_id}/attendance",
            json={"attendance": "attended"},
            headers=mentor,
        )
    )
    asked = await events_of(
        stack,
        FEEDBACK.name,
        "feedback.requested",
        lambda e: e["session_id"] == world.session_id and e["role"] == "mentee",
    )
    world.request_id = asked[0]["request_id"]
    item = {
        "text": "Read the design notes",
        "owner": "mentee",
        "due_date": (clock.now.date() + timedelta(days=14)).isoformat(),
    }
    report = await _ok(
        await feedback.http.post(
            f"/sessions/{world.session_id}/report",
            json={"agenda": ["Goals"], "notes": "Went well", "action_items": [item]},
            headers=mentor,
        ),
        201,
    )
    world.item_id = report["action_items"][0]["item_id"]
    [sample] = await events_of(
        stack, QA.name, "qa.sample.selected", lambda e: e["session_id"] == world.session_id
    )
    world.sample_id = sample["sample_id"]

    async def opened() -> bool:
        answer = await qa.http.post(
            f"/matches/{world.match_id}/cases", json={"detail": "checking in"}, headers=coordinator
        )
        if answer.status_code == 201:
            world.case_id = answer.json()["case_id"]
        return answer.status_code == 201

    await eventually(opened, what="QA to know the match and open a case")
    job = await intake.http.post(
        f"/programs/{a}/import-jobs/mentee",
        content=b"program_id,display_name,email\n" + f"{a},Row,row-{unique}@x.org\n".encode(),
        headers={**coordinator, "Content-Type": "text/csv"},
    )
    world.job_id = (await _ok(job, 202))["job_id"]
    return world
