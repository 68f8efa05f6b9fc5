"""`mentornet dev restart`: one process of the local stack started again with the argv
`up` recorded and the environment `up` gives it."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from mentornet_tooling import devstack
from mentornet_tooling.embedded import free_port

REPORTS_ENV = (
    "import json, os, sys, time\n"
    "with open(os.path.join(sys.argv[1], f'{os.getpid()}.json'), 'w') as out:\n"
    "    json.dump(dict(os.environ), out)\n"
    "time.sleep(120)\n"
)


def reaped(pid: int) -> int:
    """The stack's processes are this test's children here (under `mentornet dev`,
    init's): collect each when it exits, as init would, so no zombie is left holding
    its process group."""
    threading.Thread(target=os.waitpid, args=(pid, 0), daemon=True).start()
    return pid


def reported(out: Path, pid: int, timeout_s: float = 20) -> dict[str, str]:
    """The environment process `pid` wrote down when it started."""
    path = out / f"{pid}.json"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            env: dict[str, str] = json.loads(path.read_text())
            return env
        except (OSError, ValueError):
            time.sleep(0.05)
    raise AssertionError(f"process {pid} wrote nothing within {timeout_s}s")


def gone(pid: int, timeout_s: float = 20) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if devstack._start_time(pid) is None:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def cfg(tmp_path: Path) -> devstack.DevConfig:
    return devstack.DevConfig(
        root=tmp_path / "home",
        kafka_port=free_port(),
        mongo_port=free_port(),
        http_port_offset=free_port() - devstack.HTTP_PORTS["matcher"],
        external_kafka=None,
        external_mongo=None,
    )


@pytest.mark.integration
def test_restart_starts_a_killed_service_as_up_did(cfg: devstack.DevConfig, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    argv = [sys.executable, "-c", REPORTS_ENV, str(out)]
    port = cfg.http_port("matcher")
    try:
        env = devstack.service_env(cfg, "matcher")
        first = reaped(
            devstack._start(cfg, "matcher", argv, port, devstack.PORT_VARIABLES["matcher"], env)
        )
        reported(out, first)
        os.killpg(first, signal.SIGKILL)
        assert gone(first)
        assert devstack.status(cfg, {"matcher"}) == {"matcher": "stopped"}

        second = reaped(devstack.restart(cfg, "matcher"))
        given = reported(out, second)
        assert second != first
        assert {name: given[name] for name in env} == env
        assert given["MENTORNET_MATCHER_HTTP_PORT"] == str(port)
        assert json.loads(cfg.pid_file("matcher").read_text())["argv"] == argv
        assert devstack.status(cfg, {"matcher"}) == {"matcher": "starting"}

        third = reaped(devstack.restart(cfg, "matcher", timeout_s=5))
        reported(out, third)
        assert gone(second, 1), "a running process is stopped before it starts again"
        assert third not in (first, second)
    finally:
        assert devstack.down(cfg, timeout_s=5) == ["matcher"]


@pytest.mark.unit
def test_restart_refuses_the_broker_and_what_up_did_not_start(cfg: devstack.DevConfig) -> None:
    with pytest.raises(ValueError, match="in memory"):
        devstack.restart(cfg, "kafka")
    with pytest.raises(LookupError, match="qa was not started"):
        devstack.restart(cfg, "qa")


def _leftovers(cfg: devstack.DevConfig) -> list[Path]:
    data, mail = cfg.root / "mongo-data" / "store.db", cfg.mail_dir / "1.eml"
    for path in (data, mail, cfg.clock_file):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("from an earlier run")
    return [data, mail, cfg.clock_file]


@pytest.mark.unit
def test_fresh_removes_the_store_the_mail_and_the_clock(cfg: devstack.DevConfig) -> None:
    left = _leftovers(cfg)
    said = devstack.forget_data(cfg)
    assert [path.exists() for path in left] == [False, False, False]
    assert "empty store" in said


@pytest.mark.unit
def test_fresh_leaves_an_external_store_and_a_running_stack_alone(
    cfg: devstack.DevConfig,
) -> None:
    left = _leftovers(cfg)
    external = devstack.DevConfig(root=cfg.root, external_mongo="mongodb://db.example:27017")
    assert "left as it is" in devstack.forget_data(external)
    pid_file = cfg.pid_file("mongodb")
    pid_file.parent.mkdir(parents=True)
    me = {"pid": os.getpid(), "started": devstack._start_time(os.getpid())}
    pid_file.write_text(json.dumps(me))
    with pytest.raises(SystemExit, match="dev down"):
        devstack.forget_data(cfg)
    assert all(path.exists() for path in left)


@pytest.mark.unit
def test_services_join_quickly_on_the_embedded_broker_only(cfg: devstack.DevConfig) -> None:
    embedded_env = devstack.service_env(cfg, "matcher")
    assert embedded_env["KAFKA_SESSION_TIMEOUT_MS"] == "4000"
    external = devstack.DevConfig(root=cfg.root, external_kafka="kafka.example:9092")
    assert "KAFKA_SESSION_TIMEOUT_MS" not in devstack.service_env(external, "matcher")
