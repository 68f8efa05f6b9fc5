"""Where tests find Kafka and MongoDB: embedded (default), containers, or external.

MENTORNET_TEST_BACKEND chooses. Unset, containers are used when a Docker engine
answers and the embedded stack otherwise; the same tests run on all three.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mentornet_contracts import REGISTRY

from mentornet_tooling import embedded

BACKENDS = ("embedded", "containers", "external")


@dataclass(frozen=True)
class Endpoints:
    backend: str
    bootstrap_servers: str
    mongo_uri: str
    note: str = ""

    @property
    def session_timeout_ms(self) -> int:
        """What services started on this stack use (embedded.TANSU_SESSION_TIMEOUT_MS)."""
        return embedded.TANSU_SESSION_TIMEOUT_MS if self.backend == "embedded" else 10_000


def docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        result = subprocess.run(
            ["docker", "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and bool(result.stdout.strip())


def choose_backend() -> tuple[str, str]:
    """The backend to use and, when it differs from what was asked, why."""
    asked = os.environ.get("MENTORNET_TEST_BACKEND", "").strip().lower()
    if asked and asked not in BACKENDS:
        raise ValueError(f"MENTORNET_TEST_BACKEND={asked!r}: choose one of {', '.join(BACKENDS)}")
    if asked == "external":
        return "external", ""
    if asked == "containers" or not asked:
        if docker_answers():
            return "containers", ""
        if asked == "containers":
            return "embedded", "no Docker engine answered, so containers cannot start"
    return "embedded", ""


@contextmanager
def embedded_stack(work_dir: Path) -> Iterator[Endpoints]:
    kafka_port, mongo_port = embedded.free_port(), embedded.free_port()
    processes = [
        embedded.spawn("kafka", embedded.broker_argv(kafka_port), work_dir / "kafka.log"),
        embedded.spawn(
            "mongodb", embedded.store_argv(mongo_port, work_dir / "mongo"), work_dir / "mongodb.log"
        ),
    ]
    try:
        embedded.wait_for_port(kafka_port, 30, "Tansu")
        endpoints = Endpoints(
            "embedded", f"127.0.0.1:{kafka_port}", f"mongodb://127.0.0.1:{mongo_port}"
        )
        asyncio.run(embedded.mongo_answers(endpoints.mongo_uri))
        asyncio.run(embedded.ensure_topics(endpoints.bootstrap_servers, REGISTRY))
        yield endpoints
    finally:
        for proc in processes:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
                os.waitpid(proc.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


@contextmanager
def container_stack() -> Iterator[Endpoints]:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.mongodb import MongoDbContainer

    with KafkaContainer().with_kraft() as kafka, MongoDbContainer("mongo:7") as mongo:
        endpoints = Endpoints(
            "containers", kafka.get_bootstrap_server(), mongo.get_connection_url()
        )
        asyncio.run(embedded.ensure_topics(endpoints.bootstrap_servers, REGISTRY))
        yield endpoints


@contextmanager
def external_stack() -> Iterator[Endpoints]:
    missing = [v for v in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI") if not os.environ.get(v)]
    if missing:
        raise RuntimeError(f"MENTORNET_TEST_BACKEND=external needs {', '.join(missing)}")
    endpoints = Endpoints(
        "external", os.environ["KAFKA_BOOTSTRAP_SERVERS"], os.environ["MONGODB_URI"]
    )
    asyncio.run(embedded.ensure_topics(endpoints.bootstrap_servers, REGISTRY))
    yield endpoints
