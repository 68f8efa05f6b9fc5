"""Timing and reporting shared by the benchmarks: best-of-N rounds, ratios, markdown."""

from __future__ import annotations

import platform
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Result:
    name: str
    what: str
    ours_per_s: float
    baseline: str
    baseline_per_s: float
    goal_ratio: float
    operations: int

    @property
    def ratio(self) -> float:
        return self.ours_per_s / self.baseline_per_s

    @property
    def verdict(self) -> str:
        return "meets goal" if self.ratio >= self.goal_ratio else "BELOW GOAL"


async def rate(run: Callable[[int], Awaitable[None]], operations: int, rounds: int = 3) -> float:
    """Operations per second of the best round (the least disturbed by other load)."""
    best = float("inf")
    for round_no in range(rounds):
        started = time.perf_counter()
        await run(round_no)
        best = min(best, time.perf_counter() - started)
    return operations / best


def write_report(
    results: list[Result], path: Path, command: str, sections: list[str] | None = None
) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Recorded {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"Python {platform.python_version()}, with `{command}`. Each row is the best of 3 "
        "rounds; the baseline runs in the same process, against the same servers, in the "
        "same run, so the ratio is what to compare across machines.",
        "",
        "| benchmark | what | ours (ops/s) | baseline | baseline (ops/s) | ratio | goal | "
        "verdict | ops per round |",
        "|---|---|---:|---|---:|---:|---:|---|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.what} | {r.ours_per_s:,.0f} | {r.baseline} | "
            f"{r.baseline_per_s:,.0f} | {r.ratio:.2f} | ≥ {r.goal_ratio:.2f} | "
            f"{r.verdict} | {r.operations:,} |"
        )
    text = "\n".join(lines) + "\n"
    for extra in sections or []:
        text += "\n" + extra
    path.write_text(text)
    return text
