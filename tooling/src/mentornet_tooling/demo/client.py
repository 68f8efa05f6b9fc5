"""The demo's side of the HTTP APIs: one client, a bearer token per person."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
from mentornet_chassis.http.auth import DEV_KEY, mint

from mentornet_tooling.devstack import DevConfig

Json = dict[str, Any]
T = TypeVar("T")
R = TypeVar("R")
CONCURRENCY = 8
"""Requests the demo has in flight at once, as a group of people would: enough to keep
every service busy, few enough that the embedded store's queue stays short."""


class DemoError(RuntimeError):
    """A call the demo relies on failed; the message says which and why."""


class Api:
    def __init__(self, cfg: DevConfig, coordinator: str) -> None:
        self.cfg = cfg
        self.key = os.environ.get("AUTH_HS256_KEY", DEV_KEY)
        self.coordinator = coordinator
        self.programs: list[str] = []
        self.http = httpx.Client(timeout=30, limits=httpx.Limits(max_connections=CONCURRENCY * 2))
        self.pool = ThreadPoolExecutor(CONCURRENCY, thread_name_prefix="demo")

    def each(self, work: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """`work` on every item, CONCURRENCY at a time; the results in the items' order,
        or the first failure in that order."""
        return list(self.pool.map(work, items))

    def url(self, service: str, path: str) -> str:
        return f"http://127.0.0.1:{self.cfg.http_port(service)}{path}"

    def token(self, subject: str, *roles: str) -> str:
        programs = self.programs if "coordinator" in roles or "reviewer" in roles else None
        return mint(self.key, subject, list(roles), programs=programs)

    def call(
        self,
        method: str,
        service: str,
        path: str,
        as_: tuple[str, ...] | None = None,
        json: Json | None = None,
        allow: tuple[int, ...] = (),
    ) -> Json:
        """As the coordinator unless `as_` is (subject, role...); a status in `allow`
        returns the error body instead of failing."""
        subject, *roles = as_ or (self.coordinator, "coordinator")
        headers = {"Authorization": f"Bearer {self.token(subject, *roles)}"}
        response = self.http.request(method, self.url(service, path), json=json, headers=headers)
        if response.status_code >= 400 and response.status_code not in allow:
            raise DemoError(f"{method} {service}{path}: {response.status_code} {response.text}")
        body: Json = response.json() if response.content else {}
        return body

    def get(self, service: str, path: str, as_: tuple[str, ...] | None = None) -> Json:
        return self.call("GET", service, path, as_)

    def post(
        self,
        service: str,
        path: str,
        body: Json | None = None,
        as_: tuple[str, ...] | None = None,
        allow: tuple[int, ...] = (),
    ) -> Json:
        return self.call("POST", service, path, as_, body, allow)


def until(
    what: str, check: Callable[[], bool], timeout_s: float = 60, every_s: float = 0.5
) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise DemoError(f"gave up waiting: {what} (after {timeout_s:.0f} s)")
        time.sleep(every_s)
