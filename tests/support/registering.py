"""A client registering people through intake's API under faults: one
Idempotency-Key per registration, sent again after anything that is not an answer."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.support.helpers import PROGRAM, mentee_body

STILL_RUNNING = (
    "a request with this key is still running",
    "the first request with this key failed; retry",
)
MENTOR_EXTRA = {"skills": [{"skill_id": "python", "level": 5}], "capacity": 3}
CONCURRENCY = 8
"""Requests the client has in flight at most."""


@dataclass
class Registrations:
    """Registers people through intake's API as a real client would: each registration
    has its own Idempotency-Key and is sent again, with that key, after a connection
    error, a timeout, a 5xx or a 409 saying the first attempt has not finished, with
    CONCURRENCY requests at most in flight. `allow` holds back the rest of a burst
    until the test lets it go on."""

    http: httpx.AsyncClient
    headers: dict[str, str]
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(CONCURRENCY))
    gate: asyncio.Condition = field(default_factory=asyncio.Condition)
    allowed: int = 0
    answered: int = 0
    sending: int = 0
    """Requests on their way or being handled now."""
    cut: set[str] = field(default_factory=set)
    """Keys with an attempt that ended without an answer."""

    async def allow(self, count: int) -> None:
        async with self.gate:
            self.allowed = count
            self.gate.notify_all()

    async def start(self, plan: Sequence[Any], allowed: int) -> list[asyncio.Task[httpx.Response]]:
        """Every registration of `plan` (path, body) as a task; the first `allowed` go
        at once, the rest when `allow` lets them."""
        await self.allow(allowed)
        return [
            asyncio.create_task(self.register(n, path, body)) for n, (path, body) in enumerate(plan)
        ]

    async def register(self, n: int, path: str, body: dict[str, Any]) -> httpx.Response:
        async with self.gate:
            await self.gate.wait_for(lambda: n < self.allowed)
        try:
            return await self._send(path, body, key(n))
        finally:
            self.answered += 1

    async def _send(self, path: str, body: dict[str, Any], key: str) -> httpx.Response:
        deadline, backoff = time.monotonic() + 120, 0.2
        while True:
            async with self.slots:
                self.sending += 1
                try:
                    response: httpx.Response | None = await self.http.post(
                        path, json=body, headers={**self.headers, "Idempotency-Key": key}
                    )
                except httpx.TransportError:
                    response = None
                    self.cut.add(key)
                finally:
                    self.sending -= 1
            if response is not None and not _worth_retrying(response):
                return response
            last = response.text if response is not None else "no answer"
            assert time.monotonic() < deadline, f"{key}: still {last} after 120 s"
            await asyncio.sleep(backoff)  # the client's backoff between attempts
            backoff = min(1.0, backoff * 2)


def key(n: int) -> str:
    return f"registration-{n}"


def _worth_retrying(response: httpx.Response) -> bool:
    return response.status_code >= 500 or (
        response.status_code == 409 and response.json().get("reason") in STILL_RUNNING
    )


async def open_program(http: httpx.AsyncClient, coordinator: dict[str, str]) -> str:
    created = await http.post("/programs", json=PROGRAM, headers=coordinator)
    assert created.status_code == 201, created.text
    program_id: str = created.json()["program_id"]
    published = await http.post(f"/programs/{program_id}/publish", headers=coordinator)
    assert published.status_code == 200, published.text
    return program_id


def registrations(run: str, program_id: str, mentees: int, mentor_every: int) -> list[Any]:
    """(path, body) for `mentees` mentees with a mentor before every `mentor_every`th."""
    plan: list[tuple[str, dict[str, Any]]] = []
    for n in range(mentees):
        if n % mentor_every == 0:
            mentor = {**mentee_body(f"mentor-{n}-{run}", program_id), **MENTOR_EXTRA}
            plan.append(("/participants/mentors", mentor))
        plan.append(("/participants/mentees", mentee_body(f"{n}-{run}", program_id)))
    return plan


def told(answers: list[httpx.Response]) -> dict[str, set[str]]:
    """What the client was told, by key: created (the first answer, or its replay), or
    already registered (a retry that ran again once the first attempt's claim on the
    key lapsed, because intake died with it after registering the person)."""
    outcomes: dict[str, set[str]] = defaultdict(set)
    for n, answer in enumerate(answers):
        if answer.status_code == 201:
            outcomes["created"].add(key(n))
        else:
            assert (answer.status_code, answer.json()["error"]) == (409, "already_registered")
            outcomes["already_registered"].add(key(n))
    return outcomes
