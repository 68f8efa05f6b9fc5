"""Real matcher services for the pipeline benchmark: one in this process (as the tests
start it) or several `mentornet serve matcher` processes in one consumer group."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from mentornet_chassis.process.logging import configure_logging
from mentornet_contracts.catalogue import EVENT_TOPICS
from mentornet_matcher.app import build
from mentornet_matcher.settings import MatcherSettings
from mentornet_matcher.store import CANDIDATES, PROGRAMS, RUNS
from mentornet_tooling import embedded
from mentornet_tooling.devstack import service_argv
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.kafka import start_group_at_log_end
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import running, service_settings
from pymongo import AsyncMongoClient

SERVICE = "matcher"
LOG_LEVEL = "WARNING"
"""Both ways: the per-record INFO line would otherwise flood the benchmark's output."""


def _warnings_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


@contextlib.asynccontextmanager
async def in_process(stack: Endpoints, database: str, group: str) -> AsyncIterator[None]:
    """The service in this event loop, with the deployed defaults (the tests' settings
    shorten the relay poll and the retry pause). FastStream's access log, which sets
    its own level, keeps only warnings."""
    configure_logging(SERVICE, LOG_LEVEL)
    logging.getLogger("faststream.access.kafka").addFilter(_warnings_only)
    settings = service_settings(
        stack,
        MatcherSettings,
        SERVICE,
        database=database,
        group=group,
        relay_interval_ms=MatcherSettings().relay_interval_ms,
        retry_backoff_ms=MatcherSettings().retry_backoff_ms,
        log_level=LOG_LEVEL,
    )
    async with running(SERVICE, settings, build, from_log_end=True):
        yield


def _stop(pid: int, timeout_s: float = 30) -> None:
    """SIGTERM (the service drains), SIGKILL after `timeout_s`; reaps the child."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


@contextlib.asynccontextmanager
async def processes(
    stack: Endpoints, count: int, database: str, group: str, logs: Path
) -> AsyncIterator[None]:
    """`count` service processes sharing one database and consumer group, each ready
    (store and broker answer, partitions assigned)."""
    await start_group_at_log_end(
        stack.bootstrap_servers, group, [topic.name for topic in EVENT_TOPICS]
    )
    started: list[tuple[int, int]] = []
    try:
        for n in range(count):
            port = embedded.free_port()
            env = {
                "KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers,
                "MONGODB_URI": stack.mongo_uri,
                "MONGODB_DATABASE": database,
                "MENTORNET_MATCHER_CONSUMER_GROUP": group,
                "MENTORNET_MATCHER_HTTP_PORT": str(port),
                "MENTORNET_MATCHER_LOG_LEVEL": LOG_LEVEL,
            }
            spawned = embedded.spawn(
                f"{SERVICE}-{n}", service_argv(SERVICE), logs / f"{group}-{n}.log", env
            )
            started.append((spawned.pid, port))
        async with httpx.AsyncClient(timeout=5) as http:
            for pid, port in started:

                async def ready(port: int = port) -> bool:
                    try:
                        answer = await http.get(f"http://127.0.0.1:{port}/readyz")
                    except httpx.HTTPError:
                        return False
                    return answer.status_code == 200

                await eventually(ready, timeout=90, interval=0.25, what=f"matcher {pid} ready")
        yield
    finally:
        for pid, _ in started:
            _stop(pid)


async def set_up(mongo_uri: str, database: str, program_id: str, mentors: int) -> bool:
    """Whether the matcher has the program and every mentor, and the batch runs they
    asked for (one request each, and one for the program) are done, so that the mentees
    meet a quiet matcher."""
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_uri)
    try:
        db = client[database]
        if await db[PROGRAMS].count_documents({"_id": program_id}) == 0:
            return False
        query = {"state.roles.mentor.program_id": program_id}
        if await db[CANDIDATES].count_documents(query) < mentors:
            return False
        run = await db[RUNS].find_one({"_id": program_id}) or {}
        requested, done = int(str(run.get("requested", 0))), int(str(run.get("done", -1)))
        lease = float(str(run.get("lease_until", 1.0)))
        return requested > mentors and done == requested and lease == 0.0
    finally:
        await client.close()
