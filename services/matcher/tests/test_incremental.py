"""Instant proposals ranked by score minus the last batch's mentor prices."""

from __future__ import annotations

import numpy as np
import pytest
from mentornet_matcher.domain.assignment import DenseScores, solve
from mentornet_matcher.domain.incremental import price_vector, ranked

pytestmark = pytest.mark.unit

INF = -np.inf


def test_ranking_subtracts_prices_and_skips_ruled_out_or_full_mentors() -> None:
    scores = np.asarray([0.9, 0.8, INF, 0.95, 0.7], dtype=np.float32)
    capacity = np.asarray([1, 1, 1, 0, 1])
    prices = price_vector(["a", "b", "c", "d", "e"], {"a": 0.2})

    assert ranked(scores, capacity, prices, 3) == [1, 0, 4]
    assert ranked(scores, capacity, np.zeros(5, dtype=np.float32), 10) == [0, 1, 4]
    assert ranked(np.full(5, INF, dtype=np.float32), capacity, prices, 3) == []


def test_ties_keep_the_lower_index() -> None:
    scores = np.asarray([0.5, 0.5, 0.5], dtype=np.float32)
    assert ranked(scores, np.ones(3, dtype=np.int64), np.zeros(3, dtype=np.float32), 2) == [0, 1]


def test_prices_steer_a_newcomer_to_the_mentor_others_need_less() -> None:
    """Two mentees both prefer mentor 0 (one place); the batch prices that place. A
    newcomer who barely prefers mentor 0 is sent to mentor 1; one who needs mentor 0
    much more still gets it."""
    pool = np.asarray([[0.9, 0.3], [0.8, 0.2]], dtype=np.float32)
    solution = solve(DenseScores(pool), np.asarray([1, 5]))
    prices = solution.mentor_prices.astype(np.float32)
    assert prices[0] > 0.05
    assert prices[1] == 0

    room = np.asarray([1, 5])
    assert ranked(np.asarray([0.62, 0.6], dtype=np.float32), room, prices, 1) == [1]
    assert ranked(np.asarray([0.99, 0.1], dtype=np.float32), room, prices, 1) == [0]
