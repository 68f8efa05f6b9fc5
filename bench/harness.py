"""Timing and reporting shared by the benchmarks: best-of-N rounds, ratios, markdown."""

from __future__ import annotations

import platform
import subprocess
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


def commit() -> str:
    """The commit the benchmark ran on, `-dirty` when the tree had changes."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return (head or "unknown") + ("-dirty" if dirty else "")


def _recorded(command: str) -> str:
    return (
        f"Recorded {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit()} on "
        f"{platform.machine()}, Python {platform.python_version()}, with `{command}`."
    )


def _head(results: list[Result], command: str) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"{_recorded(command)} Each row is the best of 3 "
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
    return "\n".join(lines) + "\n"


def write_report(
    results: list[Result], path: Path, command: str, sections: list[str] | None = None
) -> str:
    text = _head(results, command)
    for extra in sections or []:
        text += "\n" + _stamped(extra, command)
    path.write_text(text)
    return text


def _stamped(section: str, command: str) -> str:
    """The section with when and how it was recorded under its heading: a later run of
    only some benchmarks rewrites the head, and each section keeps its own stamp."""
    heading, body = section.split("\n", 1)
    return f"{heading}\n\n_{_recorded(command)}_\n{body}"


def split_sections(text: str) -> tuple[str, list[str]]:
    """The report's head (title and chassis table) and its `## ` sections, in order."""
    head, *rest = text.split("\n## ")
    return head.rstrip("\n") + "\n", ["## " + part.rstrip("\n") + "\n" for part in rest]


def update_report(
    results: list[Result] | None, path: Path, command: str, sections: list[str]
) -> str:
    """Rewrite only what ran: the head when `results` is given, and each of `sections`
    in place of the section with the same heading (appended when new), stamped with
    when and how it was recorded; every other section is kept as it was."""
    head, kept = split_sections(path.read_text()) if path.exists() else ("", [])
    if results is not None or not head:
        head = _head(results or [], command)
    by_heading = {part.split("\n", 1)[0]: n for n, part in enumerate(kept)}
    for extra in sections:
        heading = extra.split("\n", 1)[0]
        stamped = _stamped(extra, command)
        if heading in by_heading:
            kept[by_heading[heading]] = stamped
        else:
            kept.append(stamped)
    text = head + "".join("\n" + part for part in kept)
    path.write_text(text)
    return text
