"""Batch assignment: the best set of pairs for a program's pool, certified optimal.

Maximise the total score; each mentee gets at most one mentor and each mentor at most
their remaining capacity. The problem is a transportation LP whose constraint matrix
is totally unimodular, so a vertex solution is integral and the LP optimum *is* the
integer optimum.

The LP is solved over a sparse set of candidate pairs (each mentee's best few), which
is what makes large pools fast, as a min-cost flow whose node potentials are the LP
duals (restricted_flow.py). Optimality over *all* pairs is then certified with the
duals: a mentee's value u_i and a mentor's price v_j bound every pair's score, and any
pair with score > u_i + v_j is added and the LP solved again (column generation). When
no pair violates the bound, sum(u) + sum(capacity * v) is an upper bound on every
assignment's total, and the reported gap is that bound minus the total found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .pricing import (
    ScoreSource,
    best_pairs,
    pair_scores,
    violations,
)
from .restricted_flow import RestrictedAssignment

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

CANDIDATES_PER_MENTEE = 24
"""Pairs per mentee to start from. A flow solve is cheap enough that starting wide
(most of what any optimum uses) beats more rounds of full scans."""
ADDED_PER_MENTEE = 24
"""Pairs a round adds per mentee: those that beat the duals by the most."""
MAX_ROUNDS = 50


@dataclass(frozen=True)
class DenseScores:
    matrix: npt.NDArray[np.floating]

    @property
    def shape(self) -> tuple[int, int]:
        rows, cols = self.matrix.shape
        return rows, cols

    def rows(self, start: int, stop: int) -> npt.NDArray[np.floating]:
        return self.matrix[start:stop]


@dataclass(frozen=True)
class Solution:
    mentor_of: Ints
    """For each mentee the index of its mentor, or -1."""
    total: float
    bound: float
    mentee_values: Floats
    mentor_prices: Floats
    """The dual price of one unit of each mentor's capacity: what taking it costs the
    rest of the pool. Incremental proposals subtract it from a newcomer's scores."""
    rounds: int
    pairs_considered: int

    @property
    def gap(self) -> float:
        """How far the total could at most be from the optimum (0 when certified)."""
        return max(0.0, self.bound - self.total)


class NotIntegral(RuntimeError):
    """The LP answered with a fractional vertex, which a TU matrix should not allow."""


def solve(scores: ScoreSource, capacity: npt.ArrayLike, k: int = CANDIDATES_PER_MENTEE) -> Solution:
    n, m = scores.shape
    capacity = np.asarray(capacity, dtype=np.int64)
    if capacity.shape != (m,):
        raise ValueError(f"capacity has {capacity.size} entries for {m} mentors")
    if n == 0 or m == 0:
        return Solution(np.full(n, -1, np.int64), 0.0, 0.0, np.zeros(n), np.zeros(m), 0, 0)
    restricted = RestrictedAssignment(n, capacity)
    rows, cols = best_pairs(scores, k)
    restricted.add(rows, cols, pair_scores(scores, rows, cols))
    for round_number in range(1, MAX_ROUNDS + 1):
        x, u, v = restricted.solve()
        extra_rows, extra_cols, excess = violations(scores, u, v, per_mentee=ADDED_PER_MENTEE)
        if extra_rows.size == 0:
            rows, cols, weights = restricted.pairs()
            return _solution(x, rows, cols, weights, u + excess, v, capacity, n, round_number)
        restricted.add(extra_rows, extra_cols, pair_scores(scores, extra_rows, extra_cols))
    raise RuntimeError(f"no certificate after {MAX_ROUNDS} rounds")


def _solution(
    x: Floats,
    rows: Ints,
    cols: Ints,
    weights: Floats,
    u: Floats,
    v: Floats,
    capacity: Ints,
    n: int,
    rounds: int,
) -> Solution:
    if np.any((x > 1e-6) & (x < 1 - 1e-6)):
        raise NotIntegral("fractional assignment")
    chosen = x > 0.5
    mentor_of = np.full(n, -1, np.int64)
    mentor_of[rows[chosen]] = cols[chosen]
    total = float(weights[chosen].sum())
    bound = float(u.sum() + (capacity * v).sum())
    return Solution(mentor_of, total, bound, u, v, rounds, int(rows.size))
