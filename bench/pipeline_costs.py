"""Where a run's time went: CPU seconds of this process and its children (the broker,
the store, service processes) from /proc, and the MongoDB commands this process sent."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from pymongo import AsyncMongoClient, monitoring

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float] | None:
    """Name, parent pid and user + system CPU seconds of `pid` (None once it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = stat[stat.index("(") + 1 : stat.rindex(")")]
    fields = stat.rsplit(")", 1)[1].split()
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _kind(pid: int, name: str) -> str:
    """The kind of process: broker, store, the service a process serves, or its name."""
    if name == "tansu":
        return "broker"
    if name.startswith("nx-27017"):
        return "store"
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return name
    return argv[-2].decode() if b"serve" in argv else name


def cpu_seconds() -> dict[str, float]:
    """CPU seconds so far per kind of process: this one ("bench") and its descendants."""
    stats = {pid: _stat(pid) for pid in (int(p.name) for p in Path("/proc").glob("[0-9]*"))}
    parents = {pid: s[1] for pid, s in stats.items() if s is not None}
    me = os.getpid()

    def mine(pid: int) -> bool:
        while pid > 1:
            if pid == me:
                return True
            pid = parents.get(pid, 1)
        return False

    used: dict[str, float] = {}
    for pid, stat in stats.items():
        if stat is not None and mine(pid):
            kind = "bench" if pid == me else _kind(pid, stat[0])
            used[kind] = used.get(kind, 0.0) + stat[2]
    return used


def machine_ticks() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine so far (every process, ours or not)."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]
    return sum(ticks) - idle, sum(ticks)


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of the machine's CPU that was busy between two `machine_ticks()`."""
    return (after[0] - before[0]) / max(1, after[1] - before[1])


def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds between two readings (processes that ended in between are left out)."""
    return {kind: after[kind] - before.get(kind, 0.0) for kind in after}


class Commands(monitoring.CommandListener):
    """Counts every command the MongoDB clients of this process send (clients created
    after `install()`): the service in this process, or the bare loop."""

    count = 0

    @classmethod
    def install(cls) -> None:
        monitoring.register(cls())

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        Commands.count += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        return None

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None


async def store_rate(mongo_uri: str, clients: int, reads: int = 300) -> float:
    """Reads by id a second from `clients` concurrent clients of the store: how far it
    serves requests side by side, which bounds what more service processes can gain."""
    opened: list[AsyncMongoClient[dict[str, object]]] = [
        AsyncMongoClient(mongo_uri) for _ in range(clients)
    ]
    probe = opened[0][f"bench_probe_{os.getpid()}"]["docs"]
    await probe.insert_many([{"_id": n} for n in range(100)])

    async def read(client: AsyncMongoClient[dict[str, object]]) -> None:
        docs = client[probe.database.name]["docs"]
        for n in range(reads):
            await docs.find_one({"_id": n % 100})

    try:
        started = time.perf_counter()
        await asyncio.gather(*(read(c) for c in opened))
        return clients * reads / (time.perf_counter() - started)
    finally:
        await opened[0].drop_database(probe.database.name)
        for client in opened:
            await client.close()
