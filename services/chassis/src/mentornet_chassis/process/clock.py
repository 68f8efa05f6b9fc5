"""A clock every service process of the local stack shares, so a demo can move time.

The file holds an offset in seconds; the clock is the wall clock plus that offset, so
time keeps flowing between jumps and every process sees the same "now". Development
only: production settings refuse it (settings.ServiceSettings). The tooling moves it
(mentornet_tooling.simclock); a service only reads it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path


class FileClock:
    """Reads the offset again only when the file changes (one stat per call)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: float | None = None
        self._offset = timedelta(0)

    def __call__(self) -> datetime:
        try:
            changed = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return datetime.now(UTC)
        if changed != self._seen:
            self._offset = timedelta(seconds=offset_of(self.path))
            self._seen = changed
        return datetime.now(UTC) + self._offset


def offset_of(path: Path) -> float:
    try:
        return float(json.loads(path.read_text())["offset_seconds"])
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return 0.0
