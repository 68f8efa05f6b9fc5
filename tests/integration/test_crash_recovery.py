"""Proof (e): SIGKILL after the database write, before the offset commit, applies the
event exactly once after restart; SIGTERM drains and exits cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mentornet_chassis.embedded import free_port
from mentornet_chassis.testing.backends import Endpoints
from mentornet_chassis.testing.kafka import produce_record
from mentornet_chassis.testing.poll import eventually
from mentornet_chassis.testing.services import running, service_settings
from mentornet_contracts import REGISTRY, encode, new_envelope
from mentornet_contracts.events.participants import MenteeRegistered
from mentornet_matcher.app import build as build_matcher
from mentornet_matcher.settings import MatcherSettings

from .test_walking_skeleton import consumed

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


def matcher_env(stack: Endpoints, database: str, group: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers,
        "MONGODB_URI": stack.mongo_uri,
        "MONGODB_DATABASE": database,
        "MENTORNET_MATCHER_CONSUMER_GROUP": group,
        "MENTORNET_MATCHER_HTTP_PORT": str(port),
    }


async def wait_exit(proc: subprocess.Popen[bytes], timeout: float) -> int:
    async def exited() -> bool:
        return proc.poll() is not None

    await eventually(exited, timeout=timeout, what="the process to exit")
    return int(proc.returncode)


async def test_e_sigkill_between_write_and_commit_applies_once(
    stack: Endpoints, mongo: Any, unique: str, tmp_path: Path
) -> None:
    pid, database, group = f"p-crash-{unique}", f"test_crash_{unique}", f"test-crash-{unique}"
    envelope = new_envelope(
        MenteeRegistered(participant_id=pid, program_id="prog-c", languages=("en",)), "intake"
    )
    await produce_record(stack.bootstrap_servers, encode(envelope, REGISTRY))
    env = {**matcher_env(stack, database, group, free_port()), "CRASH_TARGET": pid}
    with (tmp_path / "crash.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.crash_after_write"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        assert await wait_exit(proc, 90) == -signal.SIGKILL

    collection = mongo[database]["candidates"]
    written = await collection.find_one({"_id": pid})
    assert written is not None
    assert written["version"] == 1

    settings = service_settings(stack, MatcherSettings, "matcher", database=database, group=group)
    async with running("matcher", settings, build_matcher) as matcher:

        async def redelivered_as_duplicate() -> bool:
            text = (await matcher.http.get("/metrics")).text
            return consumed(text, envelope.type, "duplicate") >= 1

        await eventually(
            redelivered_as_duplicate, timeout=60, what="the uncommitted record to be redelivered"
        )
    after = await collection.find_one({"_id": pid})
    assert after["version"] == 1
    assert after["inbox"] == [envelope.id]


async def test_sigterm_drains_and_exits_zero(stack: Endpoints, unique: str, tmp_path: Path) -> None:
    port = free_port()
    env = matcher_env(stack, f"test_term_{unique}", f"test-term-{unique}", port)
    with (tmp_path / "term.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mentornet_chassis.cli", "serve", "matcher"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            import httpx

            async def ready() -> bool:
                try:
                    async with httpx.AsyncClient() as http:
                        r = await http.get(f"http://127.0.0.1:{port}/readyz")
                        return r.status_code == 200
                except httpx.HTTPError:
                    return False

            await eventually(ready, timeout=60, what="matcher to be ready")
            proc.send_signal(signal.SIGTERM)
            assert await wait_exit(proc, 30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                await asyncio.to_thread(proc.wait)
    assert "stopped" in (tmp_path / "term.log").read_text()
