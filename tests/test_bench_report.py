"""docs/benchmarks.md keeps each section's own stamp: a run of only some benchmarks
rewrites the head and what it ran, and says nothing new about the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.harness import Result, update_report, write_report

pytestmark = pytest.mark.unit

ROW = Result("exactly-once write", "w", 10.0, "bare", 20.0, 0.4, 400)


def test_a_partial_run_keeps_the_stamp_of_every_section_it_did_not_run(tmp_path: Path) -> None:
    report = tmp_path / "benchmarks.md"
    write_report([ROW], report, "make bench", ["## Pipeline\n\nold pipeline\n", "## Other\n\nx\n"])
    update_report([ROW], report, "python -m bench pipeline", ["## Pipeline\n\nnew pipeline\n"])
    head, pipeline, other = report.read_text().split("\n## ")
    assert "with `python -m bench pipeline`" in head
    assert "with `python -m bench pipeline`" in pipeline
    assert "new pipeline" in pipeline
    assert "old pipeline" not in pipeline
    assert other.startswith("Other\n\n_Recorded ")
    assert "with `make bench`._" in other
    assert other.count("_Recorded ") == 1
