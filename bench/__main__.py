"""`make bench`: run every benchmark on the embedded stack, write docs/benchmarks.md.

`python -m bench pipeline` (or any of chassis, incremental, matcher, onboarding, overlap,
pipeline) runs only those and rewrites only their parts of the report, keeping the rest
as recorded."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from mentornet_contracts.cli_parser import OneLineParser
from mentornet_tooling.testing.backends import embedded_stack

from .chassis_paths import codec_decode, exactly_once_write
from .harness import Result, update_report, write_report
from .matcher import matcher_section
from .matcher_incremental import incremental_section
from .matcher_overlap import overlap_section
from .onboarding import onboarding_section
from .pipeline import pipeline_section

REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"

SECTIONS: dict[str, Callable[[], str]] = {
    "onboarding": onboarding_section,
    "pipeline": pipeline_section,
    "incremental": incremental_section,
    "matcher": matcher_section,
    "overlap": overlap_section,
}
"""In the order they run: the pipeline and the incremental proposals before the big
batch instances (a 3 GB heap left behind skews latencies)."""
REPORT_ORDER = ("matcher", "overlap", "incremental", "pipeline", "onboarding")
CHOICES = ("chassis", *SECTIONS)


def chassis() -> list[Result]:
    with tempfile.TemporaryDirectory() as work, embedded_stack(Path(work)) as stack:
        return [asyncio.run(exactly_once_write(stack.mongo_uri)), asyncio.run(codec_decode())]


def main(argv: Sequence[str] | None = None) -> None:
    parser = OneLineParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "only", nargs="*", metavar="benchmark", help=f"one of {', '.join(CHOICES)} (default: all)"
    )
    chosen = parser.parse_args(argv).only
    unknown = sorted(set(chosen) - set(CHOICES))
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}: choose from {', '.join(CHOICES)}")
    every = not chosen or set(chosen) == set(CHOICES)
    results = chassis() if every or "chassis" in chosen else None
    done = {name: run() for name, run in SECTIONS.items() if every or name in chosen}
    sections = [done[name] for name in REPORT_ORDER if name in done]
    if every:
        assert results is not None
        print(write_report(results, REPORT, "make bench", sections))
    else:
        print(update_report(results, REPORT, f"python -m bench {' '.join(chosen)}", sections))


if __name__ == "__main__":
    main()
