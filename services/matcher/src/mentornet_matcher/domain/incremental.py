"""Instant answers for one newcomer, priced by the last batch solve.

The batch LP's dual v_j is what a place with mentor j is worth to the rest of the
pool at the optimum. Ranking a newcomer's mentors by score minus price (the reduced
cost the LP itself uses) steers newcomers away from mentors others need more, so a
stream of instant answers stays close to what a fresh batch solve would choose.
With no prices yet (no batch has run) this is plain best-score-first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

Row = npt.NDArray[np.float32]


def price_vector(mentor_ids: Sequence[str], prices: Mapping[str, float]) -> npt.NDArray[np.float32]:
    return np.asarray([prices.get(m, 0.0) for m in mentor_ids], dtype=np.float32)


def ranked(
    scores: Row, capacity: npt.NDArray[np.int64], prices: npt.NDArray[np.float32], limit: int
) -> list[int]:
    """Up to `limit` allowed mentors with room, best reduced score first. Scores of
    ruled-out pairs are -inf; ties keep the lower index, so answers are repeatable."""
    reduced = np.where((capacity > 0) & np.isfinite(scores), scores - prices, -np.inf)
    allowed = int(np.isfinite(reduced).sum())
    if allowed == 0:
        return []
    take = min(limit, allowed)
    if take == 1:
        return [int(np.argmax(reduced))]
    if take < len(reduced):
        top = np.argpartition(-reduced, take - 1)[:take]
    else:
        top = np.arange(len(reduced))
    order = top[np.lexsort((top, -reduced[top]))]
    return [int(j) for j in order if np.isfinite(reduced[j])]
