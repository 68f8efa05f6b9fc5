"""Finding the pairs worth adding to the restricted problem (pricing, in column-
generation terms): each mentee's best pairs to start with, and the scan over every
pair that either finds pairs beating the duals or certifies the result.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

BLOCK_PAIRS = 4_000_000
"""Pairs per block of mentees (16 MB of float32): small enough that the allocator
reuses its memory between blocks instead of mapping fresh pages each time."""
SCREEN = 1e-4
"""A float32 scan keeps pairs within this of violating, to be measured exactly."""
SCAN_THREADS = min(4, os.cpu_count() or 1)
"""Blocks scanned at once. NumPy releases the GIL inside its array kernels, so threads
score and scan blocks on separate cores without copying the pool. BLAS is held to one
thread meanwhile: its own threads would compete with the workers for the same cores
(measured on 2 cores: 1.8x faster than one worker with threaded BLAS)."""
VIOLATION_TOLERANCE = 1e-6
"""The flow works on scores scaled to integers (1e-9 steps), so smaller excesses are
rounding, not missing pairs. They are still counted: the bound adds each mentee's
largest excess to its value, which makes the duals exactly feasible."""


TIE_BREAK = 1e-9
"""Among pairs scoring alike (within this), which to take first: each mentee prefers the
mentors from its own offset on (`rotation`). Without it every mentee of a pool of
look-alike people picks the same few mentors, who fill up, and column generation adds
the next few in round after round (42 rounds instead of 3 for 4,000 identical mentees).
Selection only: the scores solved and certified are never changed."""


def rotation(rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64], m: int, k: int) -> Floats:
    """In [0, TIE_BREAK): how late mentor `cols` comes in mentee `rows`'s order, where
    mentee i starts at mentor i * k (mod m), so consecutive mentees start k apart."""
    return ((cols - rows * k) % m).astype(np.float64) * (TIE_BREAK / m)


class ScoreSource(Protocol):
    """Pair scores a block of mentee rows at a time; -inf marks a forbidden pair."""

    @property
    def shape(self) -> tuple[int, int]: ...

    def rows(self, start: int, stop: int) -> npt.NDArray[np.floating]: ...


def _blocks(n: int, m: int) -> Iterator[tuple[int, int]]:
    step = max(1, min(n, BLOCK_PAIRS // max(m, 1)))
    for start in range(0, n, step):
        yield start, min(n, start + step)


T = TypeVar("T")


def _each_block(scores: ScoreSource, scan: Callable[[int, int], T]) -> list[T]:
    """`scan(start, stop)` for every block of mentees, in block order."""
    blocks = list(_blocks(*scores.shape))
    if SCAN_THREADS < 2 or len(blocks) < 2:
        return [scan(start, stop) for start, stop in blocks]
    with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(SCAN_THREADS) as pool:
        return list(pool.map(lambda block: scan(*block), blocks))


def best_pairs(scores: ScoreSource, k: int) -> tuple[Ints, Ints]:
    """Each mentee's k best allowed pairs with a positive score (in no set order)."""
    _, m = scores.shape
    k = min(k, m)

    def best(start: int, stop: int) -> tuple[Ints, Ints]:
        block = np.asarray(scores.rows(start, stop))
        ranks = np.arange(start, stop, dtype=np.int64)[:, None]
        late = rotation(ranks, np.arange(m, dtype=np.int64)[None, :], m, k)
        top = (
            np.argpartition(late - block, k - 1, axis=1)[:, :k]
            if k < m
            else np.tile(np.arange(m), (stop - start, 1))
        )
        keep = np.take_along_axis(block, top, axis=1) > 0
        return (np.nonzero(keep)[0] + start).astype(np.int64), top[keep].astype(np.int64)

    rows, cols = zip(*_each_block(scores, best), strict=True)
    return np.concatenate(rows), np.concatenate(cols)


def violations(
    scores: ScoreSource, u: Floats, v: Floats, per_mentee: int
) -> tuple[Ints, Ints, Floats]:
    """Pairs scoring above u_i + v_j by more than the tolerance (the worst few per
    mentee), and each mentee's largest excess of any size (0 when none).

    The scan runs in float32 and keeps only pairs within SCREEN of violating; those
    few are then measured exactly in float64 (float32 rounding here is about 1e-7, far
    inside SCREEN), so the excesses, and with them the bound, are exact."""
    u32, v32 = u.astype(np.float32), v.astype(np.float32)

    def near_misses(start: int, stop: int) -> tuple[Ints, Ints, Floats]:
        block = np.asarray(scores.rows(start, stop), dtype=np.float32)
        near = block - u32[start:stop, None]
        near -= v32[None, :]
        hit_rows, hit_cols = np.nonzero(near > -SCREEN)
        values = block[hit_rows, hit_cols].astype(np.float64)
        keep = values > 0
        rows, cols = (hit_rows[keep] + start).astype(np.int64), hit_cols[keep].astype(np.int64)
        return rows, cols, values[keep] - u[rows] - v[cols]

    found_rows, found_cols, found_excess = zip(*_each_block(scores, near_misses), strict=True)
    rows, cols = np.concatenate(found_rows), np.concatenate(found_cols)
    excess = np.concatenate(found_excess)
    row_excess = np.zeros(u.size)
    np.maximum.at(row_excess, rows, excess)
    violating = excess > VIOLATION_TOLERANCE
    rows_v, cols_v = rows[violating], cols[violating]
    ranked = excess[violating] - rotation(rows_v, cols_v, v.size, per_mentee)
    worst = first_of_each(rows_v, ranked, per_mentee)
    return rows[violating][worst], cols[violating][worst], row_excess


def pair_scores(scores: ScoreSource, rows: Ints, cols: Ints) -> Floats:
    weights = np.empty(rows.size)

    def fill(start: int, stop: int) -> None:
        inside = (rows >= start) & (rows < stop)
        block = np.asarray(scores.rows(start, stop))
        weights[inside] = block[rows[inside] - start, cols[inside]].astype(np.float64)

    _each_block(scores, fill)
    return weights


def first_of_each(rows: Ints, weights: Floats, k: int) -> npt.NDArray[np.bool_]:
    """Of pairs grouped by mentee, the k best of each mentee."""
    order = np.lexsort((-weights, rows))
    ranked_rows = rows[order]
    rank = np.arange(rows.size) - np.searchsorted(ranked_rows, ranked_rows, side="left")
    chosen = np.zeros(rows.size, dtype=np.bool_)
    chosen[order[rank < k]] = True
    return chosen
