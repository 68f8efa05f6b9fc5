"""Batch assignment: the best set of pairs for a program's pool, certified optimal.

Maximise the total score; each mentee gets at most one mentor and each mentor at most
their remaining capacity. The problem is a transportation LP whose constraint matrix
is totally unimodular, so a vertex solution is integral and the LP optimum *is* the
integer optimum.

The LP is solved over a sparse set of candidate pairs (each mentee's best few), which
is what makes large pools fast. Optimality over *all* pairs is then certified with the
duals: a mentee's value u_i and a mentor's price v_j bound every pair's score, and any
pair with score > u_i + v_j is added and the LP solved again (column generation). When
no pair violates the bound, sum(u) + sum(capacity * v) is an upper bound on every
assignment's total, and the reported gap is that bound minus the total found.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import linprog

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

CANDIDATES_PER_MENTEE = 12
ROW_CHUNK = 2048
VIOLATION_TOLERANCE = 1e-6
"""Scores are float32 and HiGHS keeps duals feasible to 1e-7, so smaller excesses are
rounding, not missing pairs. They are still counted: the bound adds each mentee's
largest excess to its value, which makes the duals exactly feasible."""
MAX_ROUNDS = 50


class ScoreSource(Protocol):
    """Pair scores a block of mentee rows at a time; -inf marks a forbidden pair."""

    @property
    def shape(self) -> tuple[int, int]: ...

    def rows(self, start: int, stop: int) -> npt.NDArray[np.floating]: ...


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


def _blocks(n: int) -> Iterator[tuple[int, int]]:
    for start in range(0, n, ROW_CHUNK):
        yield start, min(n, start + ROW_CHUNK)


def best_pairs(scores: ScoreSource, k: int) -> tuple[Ints, Ints]:
    """Each mentee's k best allowed pairs with a positive score."""
    rows: list[Ints] = []
    cols: list[Ints] = []
    _, m = scores.shape
    k = min(k, m)
    for start, stop in _blocks(scores.shape[0]):
        block = np.asarray(scores.rows(start, stop))
        top = (
            np.argpartition(-block, k - 1, axis=1)[:, :k]
            if k < m
            else np.tile(np.arange(m), (stop - start, 1))
        )
        values = np.take_along_axis(block, top, axis=1)
        keep = values > 0
        rows.append((np.nonzero(keep)[0] + start).astype(np.int64))
        cols.append(top[keep].astype(np.int64))
    return np.concatenate(rows), np.concatenate(cols)


def _violations(
    scores: ScoreSource, u: Floats, v: Floats, per_mentee: int
) -> tuple[Ints, Ints, Floats]:
    """Pairs scoring above u_i + v_j by more than the tolerance (the worst few per
    mentee), and each mentee's largest excess of any size (0 when none)."""
    rows: list[Ints] = []
    cols: list[Ints] = []
    row_excess = np.zeros(u.size)
    for start, stop in _blocks(scores.shape[0]):
        block = np.asarray(scores.rows(start, stop), dtype=np.float64)
        excess = block - u[start:stop, None] - v[None, :]
        excess[~np.isfinite(block) | (block <= 0)] = -np.inf
        if excess.shape[1]:
            row_excess[start:stop] = np.maximum(excess.max(axis=1), 0.0)
        hit_rows, hit_cols = np.nonzero(excess > VIOLATION_TOLERANCE)
        if hit_rows.size:
            order = np.lexsort((-excess[hit_rows, hit_cols], hit_rows))
            hit_rows, hit_cols = hit_rows[order], hit_cols[order]
            first = np.searchsorted(hit_rows, hit_rows, side="left")
            keep = np.arange(hit_rows.size) - first < per_mentee
            rows.append((hit_rows[keep] + start).astype(np.int64))
            cols.append(hit_cols[keep].astype(np.int64))
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.int64), row_excess
    return np.concatenate(rows), np.concatenate(cols), row_excess


def _lp(
    weights: Floats, rows: Ints, cols: Ints, capacity: Ints, n: int
) -> tuple[Floats, Floats, Floats]:
    """Solve the LP over the given pairs: (x, mentee values u, mentor prices v)."""
    m = capacity.size
    if weights.size == 0:
        return np.zeros(0), np.zeros(n), np.zeros(m)
    edges = np.arange(weights.size)
    ones = np.ones(weights.size)
    constraints = sp.vstack(
        [
            sp.csr_matrix((ones, (rows, edges)), shape=(n, weights.size)),
            sp.csr_matrix((ones, (cols, edges)), shape=(m, weights.size)),
        ]
    ).tocsc()
    limits = np.concatenate([np.ones(n), capacity.astype(np.float64)])
    # No upper bound on x: each mentee's row already caps it at 1, and leaving it out
    # keeps the dual to exactly u_i + v_j >= score_ij, the certificate checked later.
    result = linprog(-weights, A_ub=constraints, b_ub=limits, bounds=(0, None), method="highs")
    if result.status != 0:
        raise RuntimeError(f"assignment LP failed: {result.message}")
    duals = np.maximum(-np.asarray(result.ineqlin.marginals), 0.0)
    return np.asarray(result.x), duals[:n], duals[n:]


def solve(scores: ScoreSource, capacity: npt.ArrayLike, k: int = CANDIDATES_PER_MENTEE) -> Solution:
    n, m = scores.shape
    capacity = np.asarray(capacity, dtype=np.int64)
    if capacity.shape != (m,):
        raise ValueError(f"capacity has {capacity.size} entries for {m} mentors")
    if n == 0 or m == 0:
        return Solution(np.full(n, -1, np.int64), 0.0, 0.0, np.zeros(n), np.zeros(m), 0, 0)
    rows, cols = best_pairs(scores, k)
    for round_number in range(1, MAX_ROUNDS + 1):
        weights = pair_scores(scores, rows, cols)
        x, u, v = _lp(weights, rows, cols, capacity, n)
        extra_rows, extra_cols, excess = _violations(scores, u, v, per_mentee=k)
        if extra_rows.size == 0:
            return _solution(x, rows, cols, weights, u + excess, v, capacity, n, round_number)
        rows, cols = _merged(rows, cols, extra_rows, extra_cols, m)
    raise RuntimeError(f"no certificate after {MAX_ROUNDS} rounds")


def pair_scores(scores: ScoreSource, rows: Ints, cols: Ints) -> Floats:
    weights = np.empty(rows.size)
    for start, stop in _blocks(scores.shape[0]):
        inside = (rows >= start) & (rows < stop)
        block = np.asarray(scores.rows(start, stop), dtype=np.float64)
        weights[inside] = block[rows[inside] - start, cols[inside]]
    return weights


def _merged(rows: Ints, cols: Ints, more_rows: Ints, more_cols: Ints, m: int) -> tuple[Ints, Ints]:
    keys = np.unique(np.concatenate([rows * m + cols, more_rows * m + more_cols]))
    return keys // m, keys % m


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
