"""Shared minutes by elementary segments equal the contracts' timewindows arithmetic,
and the threaded block scans give exactly what one thread gives."""

from __future__ import annotations

import numpy as np
import pytest
from mentornet_matcher.domain import pricing
from mentornet_matcher.domain.assignment import DenseScores, solve
from mentornet_matcher.domain.overlap import MentorTimes, PairOverlap

pytestmark = pytest.mark.unit

WEEK = 7 * 24 * 60
WEEKS = 6


def weekly_people(rng: np.random.Generator, count: int) -> list[np.ndarray]:
    """Weekly blocks at any minute, repeated over the span, some people away for a week
    and some with a stray block: segments that are not whole weeks or windows."""
    people = []
    for _ in range(count):
        rows = []
        for _ in range(int(rng.integers(0, 5))):
            start = int(rng.integers(0, WEEK - 600))
            length = int(rng.integers(1, 500))
            away = int(rng.integers(WEEKS)) if rng.random() < 0.2 else -1
            rows += [
                [w * WEEK + start, w * WEEK + start + length] for w in range(WEEKS) if w != away
            ]
        if rng.random() < 0.2:
            start = int(rng.integers(0, WEEKS * WEEK - 90))
            rows.append([start, start + 90])
        people.append(_merged(rows))
    return people


def _merged(rows: list[list[int]]) -> np.ndarray:
    minutes = np.zeros(WEEKS * WEEK, np.bool_)
    for b, e in rows:
        minutes[b:e] = True
    edges = np.flatnonzero(np.diff(np.concatenate([[0], minutes.astype(np.int8), [0]])))
    return edges.reshape(-1, 2).astype(np.int64)


def brute(people: list[np.ndarray]) -> np.ndarray:
    out = np.zeros((len(people), WEEKS * WEEK), np.float32)
    for i, rows in enumerate(people):
        for b, e in rows.tolist():
            out[i, b:e] = 1
    return out


@pytest.mark.parametrize("seed", range(3))
def test_grouped_segments_equal_a_minute_by_minute_count(seed: int) -> None:
    rng = np.random.default_rng(seed)
    mentees, mentors = weekly_people(rng, 40), weekly_people(rng, 30)
    mentors[3] = np.zeros((0, 2), np.int64)  # someone with no availability at all
    expected = brute(mentees) @ brute(mentors).T
    prepared = MentorTimes.of_people(mentors, WEEKS * WEEK)
    overlap = PairOverlap(prepared, mentees, WEEKS)
    assert prepared.groups < len(prepared.bounds) - 1  # segments were merged into groups
    assert np.array_equal(overlap.minutes(slice(0, 40)), expected)
    assert np.array_equal(overlap.minutes(slice(10, 13)), expected[10:13])
    single = PairOverlap(prepared, mentees[17:18], WEEKS)
    assert np.array_equal(single.minutes(slice(0, 1)), expected[17:18])
    assert np.allclose(single.hours(slice(0, 1)), expected[17:18] / 60 / WEEKS)


def test_no_mentor_availability_means_no_overlap() -> None:
    rng = np.random.default_rng(5)
    mentees = weekly_people(rng, 20)
    nobody = [np.zeros((0, 2), np.int64)] * 4
    overlap = PairOverlap(MentorTimes.of_people(nobody, WEEKS * WEEK), mentees, WEEKS)
    assert np.array_equal(overlap.minutes(slice(0, 20)), np.zeros((20, 4), np.float32))


def test_no_mentors_at_all() -> None:
    rng = np.random.default_rng(6)
    overlap = PairOverlap(MentorTimes.of_people([], WEEKS * WEEK), weekly_people(rng, 3), WEEKS)
    assert overlap.minutes(slice(0, 3)).shape == (3, 0)


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
