"""Shared hours by slot groups and by bitwise words equal a plain count over slots,
and the threaded block scans give exactly what one thread gives."""

from __future__ import annotations

import numpy as np
import pytest
from mentornet_matcher.domain import pricing
from mentornet_matcher.domain.assignment import DenseScores, solve
from mentornet_matcher.domain.overlap import FEW_PATTERNS, MentorSlots, PairOverlap
from mentornet_matcher.domain.slots import HORIZON_SLOTS, SLOT_MINUTES

pytestmark = pytest.mark.unit


def weekly_people(rng: np.random.Generator, count: int) -> np.ndarray:
    """Weekly blocks repeated over the horizon, with some people on leave for a week
    and some with a stray half-hour: slot groups that are not whole weeks or windows."""
    week = HORIZON_SLOTS // 4
    slots = np.zeros((count, HORIZON_SLOTS), np.bool_)
    for person in range(count):
        for _ in range(int(rng.integers(1, 5))):
            start = int(rng.integers(0, week - 8))
            for w in range(4):
                slots[person, w * week + start : w * week + start + int(rng.integers(1, 8))] = True
        if rng.random() < 0.2:
            leave = int(rng.integers(4))
            slots[person, leave * week : (leave + 1) * week] = False
        if rng.random() < 0.2:
            slots[person, int(rng.integers(HORIZON_SLOTS))] = True
    return slots


@pytest.mark.parametrize("seed", range(4))
def test_grouped_and_bitwise_overlap_equal_a_plain_count(seed: int) -> None:
    rng = np.random.default_rng(seed)
    mentees, mentors = weekly_people(rng, 60), weekly_people(rng, 45)
    mentors[3] = False  # someone with no availability at all
    expected = (mentees.astype(np.float32) @ mentors.T.astype(np.float32)) * SLOT_MINUTES / 60
    prepared = MentorSlots.of_slots(mentors)
    overlap = PairOverlap(prepared, mentees)
    assert prepared.grouped.shape[1] < HORIZON_SLOTS
    assert np.array_equal(overlap.hours(slice(0, 60)), expected)
    few = slice(10, 10 + FEW_PATTERNS - 3)
    assert np.array_equal(overlap.hours(few), expected[few])
    single = PairOverlap(prepared, mentees[17:18])
    assert np.array_equal(single.hours(slice(0, 1)), expected[17:18])


def test_no_mentor_availability_means_no_overlap() -> None:
    rng = np.random.default_rng(5)
    mentees = weekly_people(rng, 20)
    overlap = PairOverlap(MentorSlots.of_slots(np.zeros((4, HORIZON_SLOTS), np.bool_)), mentees)
    assert np.array_equal(overlap.hours(slice(0, 20)), np.zeros((20, 4), np.float32))


def test_threaded_scans_solve_exactly_as_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(9)
    scores = rng.random((300, 40))
    scores[rng.random((300, 40)) < 0.3] = -np.inf
    capacity = rng.integers(1, 4, 40)
    monkeypatch.setattr(pricing, "BLOCK_PAIRS", 40 * 7)
    monkeypatch.setattr(pricing, "SCAN_THREADS", 1)
    serial = solve(DenseScores(scores), capacity, k=2)
    monkeypatch.setattr(pricing, "SCAN_THREADS", 3)
    threaded = solve(DenseScores(scores), capacity, k=2)
    assert serial.rounds > 1
    assert np.array_equal(serial.mentor_of, threaded.mentor_of)
    assert (serial.total, serial.bound, serial.pairs_considered) == (
        threaded.total,
        threaded.bound,
        threaded.pairs_considered,
    )
