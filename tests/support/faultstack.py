"""The whole local stack as processes (`mentornet dev up` on free ports, Tansu and
nx-27017 included), driven through the same CLI, for the fault tests."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mentornet_tooling.devstack import DevConfig
from mentornet_tooling.embedded import free_port
from mentornet_tooling.testing.poll import eventually
from pymongo import AsyncMongoClient

from tests.support.processes import free_offset, running

SERVICES = ("intake", "matcher", "scheduler", "feedback", "qa")
OUTAGE_S = 10.0
"""How long the store is away."""

Doc = dict[str, Any]


@dataclass
class LocalStack:
    """The stack `mentornet dev up` started, driven through the same CLI."""

    cwd: Path
    env: dict[str, str]
    cfg: DevConfig

    def dev(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mentornet_tooling.cli", "dev", *args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    def pid(self, name: str) -> int:
        return int(json.loads(self.cfg.pid_file(name).read_text())["pid"])

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.cfg.http_port(service)}"

    @property
    def bootstrap(self) -> str:
        return self.cfg.bootstrap

    @asynccontextmanager
    async def mongo(self) -> AsyncIterator[AsyncMongoClient[Doc]]:
        client: AsyncMongoClient[Doc] = AsyncMongoClient(self.cfg.mongo_uri, tz_aware=True)
        try:
            yield client
        finally:
            await client.close()

    async def kill(self, name: str) -> int:
        """SIGKILL: what the kernel's OOM killer or a lost node does; nothing is flushed."""
        pid = self.pid(name)
        os.killpg(pid, signal.SIGKILL)

        async def dead() -> bool:
            return not running(pid)

        await eventually(dead, timeout=10, what=f"{name} to die")
        return pid

    async def restart(self, name: str) -> None:
        """Start it again as `up` did; `mentornet dev restart` returns once it is ready
        (for a consumer, once the group has given it its partitions again)."""
        restarted = await asyncio.to_thread(self.dev, "restart", name)
        assert restarted.returncode == 0, restarted.stdout + restarted.stderr


@contextmanager
def started_stack(cwd: Path) -> Iterator[LocalStack]:
    """`mentornet dev up` in `cwd` on free ports, with its own MENTORNET_HOME and no
    external Kafka or MongoDB; `mentornet dev down` on the way out. The notifier's lease
    is 31 s (not 2 min), so a send cut by a kill is tried again soon after."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI")
    }
    cfg = DevConfig(
        root=cwd / "home",
        kafka_port=free_port(),
        mongo_port=free_port(),
        smtp_port=free_port(),
        http_port_offset=free_offset(20011, 89),
        external_kafka=None,
        external_mongo=None,
    )
    env.update(
        MENTORNET_HOME=str(cfg.root),
        MENTORNET_DEV_KAFKA_PORT=str(cfg.kafka_port),
        MENTORNET_DEV_MONGO_PORT=str(cfg.mongo_port),
        MENTORNET_DEV_SMTP_PORT=str(cfg.smtp_port),
        MENTORNET_DEV_HTTP_PORT_OFFSET=str(cfg.http_port_offset),
        MENTORNET_NOTIFIER_SEND_TIMEOUT_SECONDS="10",
        MENTORNET_NOTIFIER_LEASE_SECONDS="31",
    )
    stack = LocalStack(cwd, env, cfg)
    try:
        up = stack.dev("up")
        assert up.returncode == 0, up.stdout + up.stderr
        yield stack
    finally:
        stack.dev("down")
