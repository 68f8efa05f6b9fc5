"""Proof (e): SIGKILL after the database write, before the offset commit, applies the
event exactly once after restart; SIGTERM drains and exits cleanly."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from mentornet_contracts import REGISTRY, encode, new_envelope
from mentornet_contracts.catalogue import MATCHES, PARTICIPANTS
from mentornet_contracts.events.participants import MenteeRegistered
from mentornet_matcher.app import build as build_matcher
from mentornet_matcher.settings import MatcherSettings
from mentornet_tooling.embedded import free_port
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.kafka import (
    committed_offset,
    find_records,
    header,
    produce_record,
    start_group_at_log_end,
)
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import running, service_settings

from tests.support.helpers import consumed
from tests.support.slow_service import SLOW

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
        "KAFKA_SESSION_TIMEOUT_MS": str(stack.session_timeout_ms),
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
            [sys.executable, "-m", "mentornet_chassis.process.main", "serve", "matcher"],
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
            envelope = new_envelope(
                MenteeRegistered(
                    participant_id=f"p-term-{unique}", program_id="prog-t", languages=("en",)
                ),
                "intake",
            )
            await produce_record(stack.bootstrap_servers, encode(envelope, REGISTRY))

            async def handled_line() -> dict[str, Any] | None:
                for line in (tmp_path / "term.log").read_text().splitlines():
                    if envelope.id in line and line.startswith("{"):
                        entry: dict[str, Any] = json.loads(line)
                        return entry
                return None

            entry = await eventually(handled_line, timeout=60, what="the handler's log line")
            assert entry["service"] == "matcher"
            assert entry["event_type"] == envelope.type
            assert entry["correlation_id"] == envelope.correlation_id
            assert entry["topic"] == "mentornet.participants"
            assert isinstance(entry["partition"], int)
            assert isinstance(entry["offset"], int)
            proc.send_signal(signal.SIGTERM)
            assert await wait_exit(proc, 30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                await asyncio.to_thread(proc.wait)
    assert "stopped" in (tmp_path / "term.log").read_text()


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("MONGODB_URI", "not-a-uri", "MONGODB_URI: not a MongoDB URI"),
        ("MENTORNET_INTAKE_HTTP_PORT", "eighty", "MENTORNET_INTAKE_HTTP_PORT:"),
        ("MENTORNET_INTAKE_ENVIRONMENT", "production", "MONGODB_URI must be set in production"),
    ],
)
def test_bad_settings_refuse_to_start_with_one_line(variable: str, value: str, says: str) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("MONGODB_URI", "KAFKA_BOOTSTRAP_SERVERS")
    }
    result = subprocess.run(
        [sys.executable, "-m", "mentornet_chassis.process.main", "serve", "intake"],
        env={**env, variable: value},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mentornet-intake: refusing to start: ")
    assert says in lines[0]


async def test_sigterm_during_a_slow_handler_lands_its_write_commits_and_publishes(
    stack: Endpoints, mongo: Any, unique: str, tmp_path: Path
) -> None:
    """The handler is 4 s into its work when SIGTERM comes: the process waits for it,
    its write lands, its offset is committed, its event is published, and it exits 0
    well inside the 20 s shutdown timeout."""
    pid, database, group = f"p-slow-{unique}", f"test_slow_{unique}", f"test-slow-{unique}"
    await start_group_at_log_end(stack.bootstrap_servers, group, [PARTICIPANTS.name])
    port, marker = free_port(), tmp_path / "handler-started"
    env = {
        **matcher_env(stack, database, group, port),
        "SLOW_MARKER": str(marker),
        "SLOW_HANDLER_S": "4",
        "MENTORNET_MATCHER_SHUTDOWN_TIMEOUT_S": "20",
    }
    envelope = new_envelope(
        MenteeRegistered(participant_id=pid, program_id="prog-s", languages=("en",)), "intake"
    )
    with (tmp_path / "slow.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.slow_service"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            await eventually(lambda: _ready(port), timeout=60, what="the slow service")
            record = encode(envelope, REGISTRY)
            await produce_record(stack.bootstrap_servers, record)

            async def started() -> bool:
                return marker.exists() and marker.read_text() == envelope.id

            await eventually(started, timeout=60, what="the slow handler to start")
            stopped_at = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            assert await wait_exit(proc, 30) == 0
            took = time.monotonic() - stopped_at
        finally:
            if proc.poll() is None:
                proc.kill()
                await asyncio.to_thread(proc.wait)
    assert 3.0 <= took < 20, f"exited {took:.1f} s after SIGTERM"
    doc = await mongo[database][SLOW].find_one({"_id": pid})
    assert doc is not None, "the handler's write did not land"
    assert (doc["inbox"], doc["pending"]) == ([envelope.id], False)
    [waitlisted] = await find_records(
        stack.bootstrap_servers, MATCHES.name, lambda r: r.key == pid.encode()
    )
    assert header(waitlisted, "ce_causationid") == envelope.id
    [where] = await find_records(
        stack.bootstrap_servers, PARTICIPANTS.name, lambda r: header(r, "ce_id") == envelope.id
    )
    committed = await committed_offset(
        stack.bootstrap_servers, group, PARTICIPANTS.name, where.partition
    )
    assert committed == where.offset + 1


async def _ready(port: int) -> bool:
    import httpx

    try:
        async with httpx.AsyncClient() as http:
            return (await http.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200
    except httpx.HTTPError:
        return False
