"""The demo's progress: numbered stages with the time so far; counts rewritten in place
on a terminal, a line per quarter elsewhere."""

from __future__ import annotations

import io

import pytest
from mentornet_tooling.demo.progress import Progress, counting

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_stages_are_numbered_with_the_time_since_the_start() -> None:
    out, clock = io.StringIO(), Clock()
    progress = Progress(["Enrol", "Match", "Report"], out, clock=clock, live=False)
    progress.stage("Enrol")
    clock.now += 75
    progress.stage("Match")
    assert out.getvalue().splitlines() == ["[1/3] Enrol (0:00)", "[2/3] Match (1:15)"]
    with pytest.raises(ValueError, match="Unknown"):
        progress.stage("Unknown")


def test_off_a_terminal_a_count_is_a_line_at_each_quarter() -> None:
    out, clock = io.StringIO(), Clock()
    progress = Progress(["Enrol"], out, clock=clock, live=False)
    progress.stage("Enrol")
    registered = counting(progress, 8, "people registered")
    for done in range(1, 9):
        clock.now += 1
        registered(done)
    assert out.getvalue().splitlines()[1:] == [
        "  people registered: 2/8 (25%, 0:02)",
        "  people registered: 4/8 (50%, 0:04)",
        "  people registered: 6/8 (75%, 0:06)",
        "  people registered: 8/8 (100%, 0:08)",
    ]
    assert "\r" not in out.getvalue()


def test_on_a_terminal_a_count_rewrites_one_line_and_ends_it_when_done() -> None:
    out = io.StringIO()
    progress = Progress(["Enrol", "Match"], out, clock=Clock(), live=True)
    progress.stage("Enrol")
    for done in range(1, 4):
        progress.count(done, 3, "people registered")
    text = out.getvalue()
    assert text.count("\r") == 3
    assert text.endswith("  people registered: 3/3 (100%, 0:00)\x1b[K\n")


def test_a_new_stage_ends_a_count_left_open() -> None:
    out = io.StringIO()
    progress = Progress(["Enrol", "Match"], out, clock=Clock(), live=True)
    progress.stage("Enrol")
    progress.count(1, 3, "people registered")
    progress.stage("Match")
    assert out.getvalue().endswith("\x1b[K\n[2/2] Match (0:00)\n")


def test_each_new_count_in_a_stage_is_shown_from_its_start() -> None:
    out = io.StringIO()
    progress = Progress(["Weeks"], out, clock=Clock(), live=False)
    progress.stage("Weeks")
    for week in (1, 2):
        for step in range(1, 3):
            progress.count(step, 2, f"week {week}, steps")
    assert out.getvalue().splitlines()[1:] == [
        "  week 1, steps: 1/2 (50%, 0:00)",
        "  week 1, steps: 2/2 (100%, 0:00)",
        "  week 2, steps: 1/2 (50%, 0:00)",
        "  week 2, steps: 2/2 (100%, 0:00)",
    ]
