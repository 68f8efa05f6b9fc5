"""Local processes for the end-to-end tests: a free block of HTTP ports for a whole dev
stack, and whether a process is still alive."""

from __future__ import annotations

from pathlib import Path

from mentornet_tooling.devstack import HTTP_PORTS
from mentornet_tooling.embedded import port_free


def free_offset(first: int = 20000, step: int = 97) -> int:
    """An offset that moves every service's HTTP port onto a free one. Callers that keep
    a stack up while others start theirs pass different `first`/`step` values."""
    for offset in range(first, 40000, step):
        if all(port_free(port + offset) for port in HTTP_PORTS.values()):
            return offset
    raise AssertionError("no free block of HTTP ports")


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
