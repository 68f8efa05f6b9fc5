"""`mentornet dev up|status|down`: the whole system as processes, and nothing left behind."""

from __future__ import annotations

import email
import email.message
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from mentornet_chassis.http.access import QUIET_PATHS
from mentornet_tooling.devstack import HTTP_PORTS
from mentornet_tooling.embedded import free_port
from mentornet_tooling.testing.backends import Endpoints

from tests.support.dashboard_browser import disagreements, local_time, looks
from tests.support.processes import free_offset, running

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "dashboards"

pytestmark = pytest.mark.e2e


def dev(home: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mentornet_tooling.cli", "dev", *args],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture
def dev_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI")
    }
    env.update(
        MENTORNET_HOME=str(tmp_path / "home"),
        MENTORNET_DEV_KAFKA_PORT=str(free_port()),
        MENTORNET_DEV_MONGO_PORT=str(free_port()),
        MENTORNET_DEV_SMTP_PORT=str(free_port()),
        MENTORNET_DEV_HTTP_PORT_OFFSET=str(free_offset()),
    )
    return env


def program_figures(stdout: str) -> dict[str, dict[str, str]]:
    """The demo's closing report: per program (its name), each figure as printed."""
    found: dict[str, dict[str, str]] = {}
    for block in stdout.split("\n\n"):
        lines = block.strip("\n").splitlines()
        if not any(line.startswith("  dashboard: ") for line in lines):
            continue
        figures = (re.fullmatch(r"  (\S.*?)\s{2,}(\S.*)", line) for line in lines[1:])
        found[lines[0]] = {m[1]: m[2] for m in figures if m}
    return found


def experiment_block(stdout: str) -> list[str]:
    """The demo's experiment result: its `Experiment: ...: status` line, then the lines
    indented under it (fit, one per arm, the verdict last)."""
    lines = stdout.splitlines()
    [start] = [i for i, line in enumerate(lines) if line.startswith("Experiment: ")]
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        block.append(line.strip())
    return block


def delivered_mail(stdout: str, sink: Path) -> list[email.message.Message]:
    """The demo's `Notifier: N messages delivered ...` line and the messages the local
    mail sink kept: at least N (the notifier goes on after the line), each addressed."""
    [line] = [line for line in stdout.splitlines() if line.startswith("Notifier: ")]
    told = int(line.split()[1])
    kept = [email.message_from_bytes(p.read_bytes()) for p in sorted(sink.glob("*.eml"))]
    assert 0 < told <= len(kept), stdout
    assert all(m["To"] and m["Subject"] for m in kept)
    return kept


def seen_in_a_browser(name: str, url: str) -> None:
    """The page as a person sees it at 1400 px and on a 390 px phone, each in its own
    time zone: every figure shown is its JSON's (the page's own download link), no
    text sticks out of its chart or card, no sideways scroll, every chart has its text
    alternative and data table; screenshots under test-output/dashboards/."""
    zones = {1400: "America/St_Johns", 390: "Asia/Kathmandu"}
    for _attempt in range(2):
        seen = looks(url, name, SCREENSHOTS, zones)
        wrong = [w for look in seen for w in disagreements(look)]
        if not wrong:
            break
    assert wrong == [], f"{name}: {wrong[:10]}"
    for look in seen:
        about = f"{name} at {look.width} px"
        assert look.clipped == [], f"{about}: {look.clipped[:5]}"
        assert look.checked_texts > 100, about
        assert look.scroll_width <= look.width, about
        assert len(look.shown) > 40, about
        assert look.screenshot.stat().st_size > 20_000, about
        charts = [c for c in look.charts if c["svgs"]]
        assert len(charts) >= 3, about
        assert all(c["labelled"] and c["table"] and c["alt"] for c in charts), about
        iso, text = look.as_of
        assert text.startswith(local_time(iso, zones[look.width])), f"{about}: {text}"


def simulated(stdout: str) -> dict[str, int]:
    """The demo's tally line: `Simulated: 66 sessions held, 10 missed, ..., 43 QA reviews`."""
    [line] = [line for line in stdout.splitlines() if line.startswith("Simulated: ")]
    return {what: int(n) for n, what in re.findall(r"(\d+) ([A-Za-z ]+?)(?=, | in \d)", line)}


def pids(home: Path) -> list[int]:
    return [json.loads(p.read_text())["pid"] for p in (home / "pids").glob("*.pid")]


def every_line_as_json(log: Path) -> list[dict[str, Any]]:
    """What a service wrote during the run, stdout and stderr alike: each line one JSON
    object naming its level (library loggers included)."""
    lines = log.read_text().splitlines()
    assert lines, f"{log.name} is empty"
    found = []
    for number, line in enumerate(lines, start=1):
        try:
            parsed = json.loads(line)
        except ValueError:
            pytest.fail(f"{log.name}:{number} is not JSON: {line[:300]}")
        assert isinstance(parsed, dict), f"{log.name}:{number}: {line[:300]}"
        assert "level" in parsed, f"{log.name}:{number}: {line[:300]}"
        found.append(parsed)
    return found


def assert_traces_run_through_the_logs(logs: dict[str, list[dict[str, Any]]]) -> None:
    """Every request line and every handled event carries W3C trace and span ids, and the
    traces intake's requests start are found in the other services' lines too."""
    requests = [
        line
        for line in logs["intake"]
        if line["event"] == "request" and line["path"] not in QUIET_PATHS
    ]
    handled = [
        line for s, lines in logs.items() for line in lines if line["event"] == "event handled"
    ]
    assert requests
    assert handled
    for line in [*requests, *handled]:
        assert re.fullmatch(r"[0-9a-f]{32}", line.get("trace_id", "")), line
        assert re.fullmatch(r"[0-9a-f]{16}", line.get("span_id", "")), line
    started = {line["trace_id"] for line in requests}
    elsewhere = {
        line.get("trace_id") for s, lines in logs.items() if s != "intake" for line in lines
    }
    assert started & elsewhere, "no request's trace reached another service's log"


def test_port_in_use_names_the_port_and_variable(tmp_path: Path, dev_env: dict[str, str]) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", int(dev_env["MENTORNET_DEV_KAFKA_PORT"])))
        blocker.listen()
        up = dev(tmp_path, dev_env, "up")
    assert up.returncode == 2
    port = dev_env["MENTORNET_DEV_KAFKA_PORT"]
    assert f"port {port} is already in use; set MENTORNET_DEV_KAFKA_PORT" in up.stderr
    assert not pids(Path(dev_env["MENTORNET_HOME"]))


def test_external_servers_are_used_instead_of_embedded_ones(
    tmp_path: Path, dev_env: dict[str, str], stack: Endpoints
) -> None:
    env = {
        **dev_env,
        "KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers,
        "MONGODB_URI": stack.mongo_uri,
    }
    home = Path(env["MENTORNET_HOME"])
    try:
        up = dev(tmp_path, env, "up")
        assert up.returncode == 0, up.stdout + up.stderr
        found = sorted(p.stem for p in (home / "pids").glob("*.pid"))
        assert found == sorted([*HTTP_PORTS, "mailsink"])
        started = pids(home)
    finally:
        dev(tmp_path, env, "down")
    assert not [pid for pid in started if running(pid)]


def _up_and_healthy(tmp_path: Path, dev_env: dict[str, str]) -> list[int]:
    """`dev up` starts nine processes (the broker, the store, the mail sink and six
    services) and `dev status` calls each of them healthy."""
    home = Path(dev_env["MENTORNET_HOME"])
    up = dev(tmp_path, dev_env, "up")
    assert up.returncode == 0, up.stdout + up.stderr
    started = pids(home)
    assert len(started) == 9
    status = dev(tmp_path, dev_env, "status")
    assert status.returncode == 0
    for name in ("kafka", "mongodb", "mailsink", *HTTP_PORTS):
        assert any(line.split()[:2] == [name, "healthy"] for line in status.stdout.splitlines()), (
            status.stdout
        )
    offset = int(dev_env["MENTORNET_DEV_HTTP_PORT_OFFSET"])
    listed = dev(tmp_path, dev_env, "status", "--json")
    assert listed.returncode == 0
    records = {r["name"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert {name: r["state"] for name, r in records.items()} == dict.fromkeys(
        ("kafka", "mongodb", "mailsink", *HTTP_PORTS), "healthy"
    )
    assert records["mailsink"]["address"] == f"127.0.0.1:{dev_env['MENTORNET_DEV_SMTP_PORT']}"
    assert records["intake"]["address"] == f"127.0.0.1:{HTTP_PORTS['intake'] + offset}"
    assert records["matcher"]["work"]["status"] == "ok"
    ready = httpx.get(f"http://127.0.0.1:{HTTP_PORTS['matcher'] + offset}/readyz").json()
    assert ready["checks"] == {"mongodb": True, "kafka": True, "partitions_assigned": True}
    assert (home / "logs" / "intake.log").exists()
    return started


@pytest.mark.timeout(600)
def test_up_status_the_demo_to_a_dashboard_and_down(
    tmp_path: Path, dev_env: dict[str, str]
) -> None:
    """`dev up`, `dev status`, then what `make run` ends with (the quick demo): every program
    shows sessions held, feedback and QA on its dashboard, reached by the signed link
    the demo prints; `dev down` leaves no process behind. (One stack for all of it:
    starting the system is the slow part.)

    QA draws each held session at 0.6 (the demo's rate of 0.3, doubled for new mentors),
    so the two larger programs always have samples; the micro program's 4 or 5 sessions
    leave a 1-3% chance of none, so there only what was drawn must have been reviewed."""
    home = Path(dev_env["MENTORNET_HOME"])
    started: list[int] = []
    try:
        started = _up_and_healthy(tmp_path, dev_env)
        demo = subprocess.run(
            [
                sys.executable,
                "-m",
                "mentornet_tooling.cli",
                "demo",
            ],
            cwd=tmp_path,
            env=dev_env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert demo.returncode == 0, demo.stdout + demo.stderr
        links = [
            line.split("dashboard: ")[1]
            for line in demo.stdout.splitlines()
            if "dashboard: " in line
        ]
        assert len(links) == 3, demo.stdout
        held = [
            int(line.split()[-1]) for line in demo.stdout.splitlines() if "sessions held " in line
        ]
        assert len(held) == 3
        assert held[0] > 0, demo.stdout
        assert sum(held) > held[0], "the cohort or the micro program held sessions too"
        completed = [
            int(line.split()[-1])
            for line in demo.stdout.splitlines()
            if "completed matches " in line
        ]
        assert completed[2] > 0, f"micro matches end once their session is held\n{demo.stdout}"
        programs = program_figures(demo.stdout)
        assert len(programs) == 3, demo.stdout
        for name, figures in programs.items():
            about = f"{name}\n{demo.stdout}"
            assert int(figures["sessions held"]) > 0, about
            assert figures["rubric average"] != "None", f"no feedback reached QA: {about}"
            assert 1 <= float(figures["rubric average"]) <= 5, about
            sampled, reviewed = map(int, figures["QA sampled / reviewed"].split(" / "))
            assert 0 < reviewed <= sampled or sampled == reviewed == 0, about
        standard, cohort, _micro = programs.values()
        for figures in (standard, cohort):
            assert figures["QA sampled / reviewed"] != "0 / 0", demo.stdout
        tally = simulated(demo.stdout)
        assert tally["feedback answers"] > 0, demo.stdout
        assert tally["session reports"] > 0, demo.stdout
        reviewed_samples = sum(
            int(figures["QA sampled / reviewed"].split(" / ")[1]) for figures in programs.values()
        )
        assert tally["QA reviews"] >= reviewed_samples > 0, demo.stdout
        experiment = experiment_block(demo.stdout)
        assert experiment[0].endswith(": complete"), demo.stdout
        assert any(line.startswith("arm a ") for line in experiment), demo.stdout
        assert any(line.startswith("arm b ") for line in experiment), demo.stdout
        assert re.search(
            r"^(b better|b worse|No difference shown between b and a) on skill growth",
            experiment[-1],
        ), demo.stdout
        mails = delivered_mail(demo.stdout, home / "mail")
        assert any(m.get_content_type() == "multipart/mixed" for m in mails), "no .ics sent"
        [network] = [
            line.split("network view: ")[1]
            for line in demo.stdout.splitlines()
            if "network view: " in line
        ]
        for name, url in zip(
            ("standard", "cohort", "micro", "network"), [*links, network], strict=True
        ):
            seen_in_a_browser(name, url)
        moved = json.loads((home / "clock.json").read_text())["offset_seconds"]
        assert moved >= 21 * 86400
        logs = {s: every_line_as_json(home / "logs" / f"{s}.log") for s in HTTP_PORTS}
        assert_traces_run_through_the_logs(logs)
    finally:
        down = dev(tmp_path, dev_env, "down")
    assert down.returncode == 0
    assert started
    assert not [pid for pid in started if running(pid)]
    assert dev(tmp_path, dev_env, "status").returncode == 1
