"""The local stack's shared simulated clock: the wall clock plus an offset in a file."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from mentornet_chassis.process.clock import FileClock, offset_of
from mentornet_tooling.simclock import advance, set_offset

pytestmark = pytest.mark.unit

CLOSE = timedelta(seconds=5)


def test_without_a_file_the_clock_is_the_wall_clock(tmp_path: Path) -> None:
    clock = FileClock(tmp_path / "clock.json")
    assert abs(clock() - datetime.now(UTC)) < CLOSE
    assert offset_of(tmp_path / "clock.json") == 0.0


def test_every_reader_sees_an_advance_at_once_and_time_keeps_flowing(tmp_path: Path) -> None:
    path = tmp_path / "clock.json"
    first, second = FileClock(path), FileClock(path)
    before = first()
    moved = advance(path, timedelta(days=3))
    assert abs(moved - (datetime.now(UTC) + timedelta(days=3))) < CLOSE
    assert abs(second() - moved) < CLOSE
    assert first() > before + timedelta(days=3) - CLOSE
    earlier = second()
    time.sleep(0.05)
    assert second() - earlier >= timedelta(seconds=0.05), "the clock flows between jumps"
    advance(path, timedelta(hours=12))
    assert offset_of(path) == pytest.approx(3.5 * 86400)
    assert abs(first() - (datetime.now(UTC) + timedelta(days=3.5))) < CLOSE


def test_a_damaged_file_reads_as_no_offset(tmp_path: Path) -> None:
    path = tmp_path / "clock.json"
    path.write_text("{not json")
    assert offset_of(path) == 0.0
    set_offset(path, 60)
    assert offset_of(path) == 60
    assert not list(tmp_path.glob("*.tmp"))
