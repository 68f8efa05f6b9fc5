"""Where the demo is: numbered stages with the time so far, and within a long stage a
count. On a terminal the count is one line rewritten in place; elsewhere (CI, a log
file) it is a plain line at each quarter, so a captured run stays readable."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import TextIO

QUARTERS = (0.25, 0.5, 0.75, 1.0)


class Progress:
    def __init__(
        self,
        stages: Sequence[str],
        out: TextIO | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        live: bool | None = None,
    ) -> None:
        self.stages = list(stages)
        self.out = out or sys.stdout
        self.clock = clock
        self.started = clock()
        self.live = self.out.isatty() if live is None else live
        self._current = 0
        self._shown = 0.0
        self._counting = ""
        self._open_line = False

    def stage(self, name: str) -> None:
        """Start the next stage; `name` must be the next one listed."""
        self._close_line()
        self._current = self.stages.index(name) + 1
        self._shown = 0.0
        self._write(f"[{self._current}/{len(self.stages)}] {name} ({self.elapsed()})\n")

    def count(self, done: int, total: int, what: str) -> None:
        """`done` of `total` `what` so far in the current stage."""
        if total <= 0:
            return
        if what != self._counting:
            self._counting, self._shown = what, 0.0
        share = done / total
        line = f"  {what}: {done:,}/{total:,} ({share:.0%}, {self.elapsed()})"
        if self.live:
            self._write(f"\r{line}\033[K")
            self._open_line = done < total
            if not self._open_line:
                self._write("\n")
            return
        reached = [q for q in QUARTERS if share >= q and q > self._shown]
        if reached:
            self._shown = reached[-1]
            self._write(line + "\n")

    def elapsed(self) -> str:
        seconds = int(self.clock() - self.started)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def _close_line(self) -> None:
        if self._open_line:
            self._write("\n")
            self._open_line = False

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()


def counting(progress: Progress | None, total: int, what: str) -> Callable[[int], None]:
    """A callback for a loop: call it with how many are done."""
    if progress is None:
        return lambda done: None
    return lambda done: progress.count(done, total, what)
