"""`mentornet dev up|down|status|logs|restart`: the whole system as local processes.

Everything `up` starts is recorded in .mentornet/pids/<name>.pid with its command
line, and `down` stops only processes whose command line still matches.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import httpx
from mentornet_contracts import REGISTRY, SERVICES

from mentornet_tooling import embedded

HTTP_PORTS = {
    "intake": 8101,
    "matcher": 8102,
    "scheduler": 8103,
    "feedback": 8104,
    "qa": 8105,
    "notifier": 8106,
}
PORT_VARIABLES = {
    "kafka": "MENTORNET_DEV_KAFKA_PORT",
    "mongodb": "MENTORNET_DEV_MONGO_PORT",
    "mailsink": "MENTORNET_DEV_SMTP_PORT",
    **{service: "MENTORNET_DEV_HTTP_PORT_OFFSET" for service in HTTP_PORTS},
}
"""The variable that moves each process's port, named when the port is taken."""


def _port(variable: str, default: int) -> Any:
    """A field read from the environment when the config is made, not at import."""
    return field(default_factory=lambda: int(os.environ.get(variable, str(default))))


def _from_env(variable: str) -> Any:
    return field(default_factory=lambda: os.environ.get(variable) or None)


@dataclass
class DevConfig:
    root: Path = field(default_factory=lambda: Path(os.environ.get("MENTORNET_HOME", ".mentornet")))
    kafka_port: int = _port("MENTORNET_DEV_KAFKA_PORT", 19092)
    mongo_port: int = _port("MENTORNET_DEV_MONGO_PORT", 27117)
    smtp_port: int = _port("MENTORNET_DEV_SMTP_PORT", 12525)
    http_port_offset: int = _port("MENTORNET_DEV_HTTP_PORT_OFFSET", 0)
    external_kafka: str | None = _from_env("KAFKA_BOOTSTRAP_SERVERS")
    external_mongo: str | None = _from_env("MONGODB_URI")

    @property
    def bootstrap(self) -> str:
        return self.external_kafka or f"127.0.0.1:{self.kafka_port}"

    @property
    def mongo_uri(self) -> str:
        return self.external_mongo or f"mongodb://127.0.0.1:{self.mongo_port}"

    def http_port(self, service: str) -> int:
        return HTTP_PORTS[service] + self.http_port_offset

    @property
    def clock_file(self) -> Path:
        """The local stack's shared simulated clock (simclock.py); it only moves forward."""
        return (self.root / "clock.json").resolve()

    @property
    def mail_dir(self) -> Path:
        """Where the local mail sink keeps what the notifier delivered (mailsink.py)."""
        return (self.root / "mail").resolve()

    def pid_file(self, name: str) -> Path:
        return self.root / "pids" / f"{name}.pid"

    def log_file(self, name: str) -> Path:
        return self.root / "logs" / f"{name}.log"


def _start_time(pid: int) -> str | None:
    """The kernel's start time of `pid`: with the pid, it names one process for good."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return fields[19] if fields[0] != "Z" else None


def _record(cfg: DevConfig, spawned: embedded.Spawned, argv: list[str], port: int) -> None:
    """Replaces the pid file whole (rename), so a `status` or `restart` running at the
    same time never reads half of it."""
    path = cfg.pid_file(spawned.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".tmp")
    scratch.write_text(
        json.dumps(
            {"pid": spawned.pid, "started": _start_time(spawned.pid), "argv": argv, "port": port}
        )
    )
    os.replace(scratch, path)


def _alive(entry: dict[str, object]) -> bool:
    started = _start_time(int(str(entry["pid"])))
    return started is not None and started == entry.get("started")


def _entries(cfg: DevConfig) -> dict[str, dict[str, object]]:
    pid_dir = cfg.root / "pids"
    if not pid_dir.exists():
        return {}
    return {p.stem: json.loads(p.read_text()) for p in sorted(pid_dir.glob("*.pid"))}


def _start(
    cfg: DevConfig,
    name: str,
    argv: list[str],
    port: int,
    variable: str,
    env: dict[str, str] | None = None,
) -> int:
    embedded.require_free(port, variable)
    spawned = embedded.spawn(name, argv, cfg.log_file(name), env)
    _record(cfg, spawned, argv, port)
    return spawned.pid


def service_argv(service: str) -> list[str]:
    return [sys.executable, "-m", "mentornet_chassis.process.main", "serve", service]


def forget_data(cfg: DevConfig) -> str:
    """What `dev up --fresh` does first: the embedded store's files, the mail sink's
    messages and the simulated clock go, so a run starts from nothing and from today, as
    the in-memory broker does. Earlier runs' data would otherwise slow every later one
    (timers and read models scan it)."""
    if any(_alive(entry) for entry in _entries(cfg).values()):
        raise SystemExit("the stack is running: `mentornet dev down` before `up --fresh`")
    if cfg.external_mongo:
        return "--fresh: the store is external (MONGODB_URI); its data is left as it is"
    for directory in (cfg.root / "mongo-data", cfg.mail_dir):
        shutil.rmtree(directory, ignore_errors=True)
    cfg.clock_file.unlink(missing_ok=True)
    return f"starting from an empty store ({cfg.root / 'mongo-data'} removed)"


def up(cfg: DevConfig) -> None:
    running = [name for name, entry in _entries(cfg).items() if _alive(entry)]
    if running:
        raise SystemExit(f"already running: {', '.join(running)} (run `mentornet dev down`)")
    if not cfg.external_kafka:
        _start(
            cfg,
            "kafka",
            embedded.broker_argv(cfg.kafka_port),
            cfg.kafka_port,
            PORT_VARIABLES["kafka"],
        )
    if not cfg.external_mongo:
        _start(
            cfg,
            "mongodb",
            embedded.store_argv(cfg.mongo_port, cfg.root / "mongo-data"),
            cfg.mongo_port,
            PORT_VARIABLES["mongodb"],
        )
    if not cfg.external_kafka:
        embedded.wait_for_port(cfg.kafka_port, 30, "Kafka broker (Tansu)")
    asyncio.run(embedded.mongo_answers(cfg.mongo_uri))
    asyncio.run(embedded.ensure_topics(cfg.bootstrap, REGISTRY))
    sink = [sys.executable, "-m", "mentornet_tooling.mailsink", "--port", str(cfg.smtp_port)]
    sink += ["--dir", str(cfg.mail_dir)]
    _start(cfg, "mailsink", sink, cfg.smtp_port, PORT_VARIABLES["mailsink"])
    for service in SERVICES:
        port, env = cfg.http_port(service), service_env(cfg, service)
        _start(cfg, service, service_argv(service), port, PORT_VARIABLES[service], env)


def service_env(cfg: DevConfig, service: str) -> dict[str, str]:
    """What a service is given on top of the caller's environment."""
    return {
        "KAFKA_BOOTSTRAP_SERVERS": cfg.bootstrap,
        "MONGODB_URI": cfg.mongo_uri,
        f"MENTORNET_{service.upper()}_HTTP_PORT": str(cfg.http_port(service)),
        f"MENTORNET_{service.upper()}_SIMULATED_CLOCK_FILE": str(cfg.clock_file),
        **_quick_timers(service),
        **_quick_joins(cfg),
        **_public_url(cfg, service),
        **_notifier(cfg, service),
    }


def _quick_joins(cfg: DevConfig) -> dict[str, str]:
    """On the embedded broker, consumers join in 2 s rather than 5 (embedded.py)."""
    if cfg.external_kafka:
        return {}
    return {"KAFKA_SESSION_TIMEOUT_MS": str(embedded.TANSU_SESSION_TIMEOUT_MS)}


def _notifier(cfg: DevConfig, service: str) -> dict[str, str]:
    """The notifier delivers e-mail to the local mail sink and asks the local intake
    for addresses."""
    if service != "notifier":
        return {}
    return {
        "MENTORNET_NOTIFIER_EMAIL_URL": (
            f"mailto://127.0.0.1:{cfg.smtp_port}?mode=insecure&smtp=127.0.0.1"
        ),
        "MENTORNET_NOTIFIER_INTAKE_URL": f"http://127.0.0.1:{cfg.http_port('intake')}",
    }


def restart(cfg: DevConfig, name: str, timeout_s: float = 30) -> int:
    """Start one process of the stack again, as `up` started it: the argv recorded in
    its pid file and, for a service, the environment `up` gives it. A process still
    running is stopped first (as `down` stops it). Returns the new pid.

    For a service that crashed or was killed, and for the store (its data stays in
    its data directory); not for the embedded broker, which keeps everything in
    memory, so a restarted one would have no topics, offsets or events.
    """
    if name == "kafka":
        raise ValueError("the embedded broker keeps everything in memory; restart the stack")
    entry = _entries(cfg).get(name)
    if entry is None:
        raise LookupError(f"{name} was not started by `mentornet dev up`")
    if _alive(entry):
        _terminate([int(str(entry["pid"]))], timeout_s)
    argv = cast("list[str]", entry["argv"])
    env = service_env(cfg, name) if name in HTTP_PORTS else None
    return _start(cfg, name, argv, int(str(entry["port"])), PORT_VARIABLES[name], env)


def _public_url(cfg: DevConfig, service: str) -> dict[str, str]:
    """Links a service hands out (dashboard, calendar feeds) must name the port it
    really listens on, which MENTORNET_DEV_HTTP_PORT_OFFSET moves."""
    if service in ("scheduler", "qa", "notifier"):
        url = f"http://127.0.0.1:{cfg.http_port(service)}"
        return {f"MENTORNET_{service.upper()}_PUBLIC_URL": url}
    return {}


def _quick_timers(service: str) -> dict[str, str]:
    """Timers checked every second, so a demo moving the shared clock sees them act."""
    if service in ("scheduler", "feedback", "qa"):
        return {f"MENTORNET_{service.upper()}_TIMER_POLL_SECONDS": "1"}
    if service == "notifier":
        return {"MENTORNET_NOTIFIER_POLL_SECONDS": "1"}
    return {}


def wait_healthy(
    cfg: DevConfig, timeout_s: float = 90, names: Collection[str] | None = None
) -> dict[str, str]:
    deadline = time.monotonic() + timeout_s
    health = status(cfg, names)
    while time.monotonic() < deadline:
        health = status(cfg, names)
        if all(h == "healthy" for h in health.values()):
            return health
        time.sleep(0.5)
    return health


def status(cfg: DevConfig, names: Collection[str] | None = None) -> dict[str, str]:
    """Each recorded process's health (only `names`, when given)."""
    result: dict[str, str] = {}
    for name, entry in _entries(cfg).items():
        if names is not None and name not in names:
            continue
        if not _alive(entry):
            result[name] = "stopped"
        elif name in HTTP_PORTS:
            result[name] = _http_health(int(str(entry["port"])))
        else:
            result[name] = "healthy" if _port_open(int(str(entry["port"]))) else "starting"
    return result


def _port_open(port: int) -> bool:
    return not embedded.port_free(port)


def _http_health(port: int) -> str:
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=3)
    except httpx.HTTPError:
        return "starting"
    return "healthy" if response.status_code == 200 else "not ready"


def work_health(cfg: DevConfig) -> dict[str, dict[str, Any]]:
    """Each running service's /healthz: whether its events get out and its partitions
    move (health.py)."""
    found: dict[str, dict[str, Any]] = {}
    for name, entry in _entries(cfg).items():
        if name not in HTTP_PORTS or not _alive(entry):
            continue
        try:
            response = httpx.get(f"http://127.0.0.1:{entry['port']}/healthz", timeout=3)
            found[name] = dict(response.json())
        except (httpx.HTTPError, ValueError):
            continue
    return found


def down(cfg: DevConfig, timeout_s: float = 30) -> list[str]:
    """Stop the services first, all at once (each drains on its own), then the mail
    sink, the store and the broker they were using."""
    entries = _entries(cfg)
    services = [n for n in entries if n in HTTP_PORTS]
    stopped = []
    for group in (services, [n for n in entries if n not in HTTP_PORTS]):
        alive = [n for n in group if _alive(entries[n])]
        _terminate([int(str(entries[n]["pid"])) for n in alive], timeout_s)
        stopped += alive
        for name in group:
            cfg.pid_file(name).unlink(missing_ok=True)
    return stopped


def _terminate(pids: list[int], timeout_s: float) -> None:
    """SIGTERM to every process group, then SIGKILL to those still there after
    `timeout_s`."""
    waiting = []
    for pid in pids:
        try:
            os.killpg(pid, signal.SIGTERM)
            waiting.append(pid)
        except ProcessLookupError:
            continue
    deadline = time.monotonic() + timeout_s
    while waiting and time.monotonic() < deadline:
        waiting = [pid for pid in waiting if _group_exists(pid)]
        time.sleep(0.1)
    for pid in waiting:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


def _group_exists(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True
