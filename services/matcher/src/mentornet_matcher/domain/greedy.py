"""The greedy baseline: best remaining pair first. Kept to show what optimality buys."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .assignment import Ints


def greedy(scores: npt.NDArray[np.floating], capacity: npt.ArrayLike) -> tuple[Ints, float]:
    """Take pairs in descending score while the mentee is free and the mentor has room."""
    remaining = np.array(capacity, dtype=np.int64)
    n, _ = scores.shape
    mentor_of = np.full(n, -1, np.int64)
    allowed = np.isfinite(scores) & (scores > 0)
    rows, cols = np.nonzero(allowed)
    order = np.argsort(-scores[rows, cols], kind="stable")
    total = 0.0
    for i, j in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if mentor_of[i] < 0 and remaining[j] > 0:
            mentor_of[i] = j
            remaining[j] -= 1
            total += float(scores[i, j])
    return mentor_of, total
