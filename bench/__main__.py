"""`make bench`: run every benchmark on the embedded stack, write docs/benchmarks.md."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from mentornet_chassis.testing.backends import embedded_stack

from .chassis_paths import codec_decode, exactly_once_write
from .harness import write_report
from .matcher import matcher_section
from .matcher_incremental import incremental_section

REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def main() -> None:
    with tempfile.TemporaryDirectory() as work, embedded_stack(Path(work)) as stack:
        results = [asyncio.run(exactly_once_write(stack.mongo_uri)), asyncio.run(codec_decode())]
    incremental = incremental_section()
    sections = [matcher_section(), incremental]
    print(write_report(results, REPORT, "make bench", sections))


if __name__ == "__main__":
    main()
