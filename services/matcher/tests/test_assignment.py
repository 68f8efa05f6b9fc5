"""Batch assignment: optimal against an independent exact solver, certified by the LP bound."""

from __future__ import annotations

import numpy as np
import pytest
from mentornet_matcher.domain.assignment import DenseScores, solve
from mentornet_matcher.domain.greedy import greedy
from scipy.optimize import linear_sum_assignment

pytestmark = pytest.mark.unit


def instance(seed: int, n: int, m: int, forbidden: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    scores = rng.random((n, m))
    scores[rng.random((n, m)) < forbidden] = -np.inf
    return scores, rng.integers(1, 5, m)


def exact_by_hungarian(scores: np.ndarray, capacity: np.ndarray) -> float:
    """An independent optimum: each unit of mentor capacity becomes its own column and
    each mentee gets a private 'unmatched' column worth 0; then a Jonker-Volgenant
    linear sum assignment (scipy), a different algorithm from the LP simplex."""
    n, _ = scores.shape
    allowed = np.where(np.isfinite(scores) & (scores > 0), scores, -1e6)
    slots = np.repeat(allowed, capacity, axis=1)
    unmatched = np.full((n, n), -1e6)
    np.fill_diagonal(unmatched, 0.0)
    rows, cols = linear_sum_assignment(np.hstack([slots, unmatched]), maximize=True)
    values = np.hstack([slots, unmatched])[rows, cols]
    return float(values[values > 0].sum())


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(("n", "m"), [(40, 10), (120, 25), (60, 60)])
def test_the_total_equals_an_independent_optimum_and_the_gap_is_certified(
    seed: int, n: int, m: int
) -> None:
    scores, capacity = instance(seed, n, m)
    solution = solve(DenseScores(scores), capacity, k=3)
    assert solution.total == pytest.approx(exact_by_hungarian(scores, capacity), abs=1e-9)
    assert solution.gap < 1e-6
    assigned = solution.mentor_of[solution.mentor_of >= 0]
    assert np.all(np.bincount(assigned, minlength=m) <= capacity)
    for mentee, mentor in enumerate(solution.mentor_of):
        if mentor >= 0:
            assert np.isfinite(scores[mentee, mentor])


def test_certification_adds_pairs_outside_the_first_candidates() -> None:
    scores, capacity = instance(3, 200, 20)
    scores[:, 0] = 1.0  # everyone's first choice is the same mentor
    capacity[:] = 1
    solution = solve(DenseScores(scores), capacity, k=1)
    assert solution.rounds > 1
    assert solution.pairs_considered > 200
    assert solution.total == pytest.approx(exact_by_hungarian(scores, capacity), abs=1e-9)


def test_greedy_scores_lower_on_contended_pools() -> None:
    worse = 0
    for seed in range(10):
        scores, capacity = instance(seed, 80, 20, forbidden=0.5)
        optimal = solve(DenseScores(scores), capacity).total
        _, greedy_total = greedy(DenseScores(scores), capacity, k=scores.shape[1])
        assert greedy_total <= optimal + 1e-9
        worse += greedy_total < optimal - 1e-6
    assert worse >= 8


def test_no_mentor_is_assigned_beyond_capacity_and_forbidden_pairs_stay_apart() -> None:
    scores = np.array([[0.9, -np.inf], [0.8, 0.1], [0.7, -np.inf]])
    solution = solve(DenseScores(scores), [1, 1])
    assert solution.mentor_of.tolist() == [0, 1, -1]
    assert solution.total == pytest.approx(1.0)
    assert solution.mentor_prices[0] > 0


def test_a_pool_without_any_allowed_pair_is_certified_empty() -> None:
    scores = np.full((3, 2), -np.inf)
    solution = solve(DenseScores(scores), [1, 1])
    assert solution.mentor_of.tolist() == [-1, -1, -1]
    assert (solution.total, solution.gap) == (0.0, 0.0)


def test_a_pool_of_look_alike_people_is_certified_in_one_round() -> None:
    """2,000 mentees who all score 1.0 with 500 mentors of 3 places each: the ties are
    broken differently per mentee, so the first candidates already cover every mentor
    (taking mentors in index order, every mentee would start from the same 24 and the
    next round would add the next 24: about 20 rounds)."""
    solution = solve(DenseScores(np.ones((2000, 500), dtype=np.float32)), np.full(500, 3))
    assert solution.rounds == 1
    assert solution.total == 1500.0
    assert solution.gap <= 1e-6
    assert np.bincount(solution.mentor_of[solution.mentor_of >= 0], minlength=500).max() == 3
