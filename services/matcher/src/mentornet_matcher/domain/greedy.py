"""The greedy baseline: best remaining pair first. Kept to show what optimality buys."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .assignment import CANDIDATES_PER_MENTEE, Ints
from .pricing import ScoreSource, best_pairs, pair_scores


def greedy(
    scores: ScoreSource, capacity: npt.ArrayLike, k: int = CANDIDATES_PER_MENTEE
) -> tuple[Ints, float]:
    """Over each mentee's k best pairs, take pairs in descending score while the mentee
    is free and the mentor has room."""
    remaining = np.array(capacity, dtype=np.int64)
    n, _ = scores.shape
    rows, cols = best_pairs(scores, k)
    values = pair_scores(scores, rows, cols)
    order = np.argsort(-values, kind="stable")
    mentor_of = np.full(n, -1, np.int64)
    total = 0.0
    for i, j, value in zip(
        rows[order].tolist(), cols[order].tolist(), values[order].tolist(), strict=True
    ):
        if mentor_of[i] < 0 and remaining[j] > 0:
            mentor_of[i] = j
            remaining[j] -= 1
            total += value
    return mentor_of, total
