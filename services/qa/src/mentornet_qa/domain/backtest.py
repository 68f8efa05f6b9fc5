"""Backtesting matching weights on past pools: within each pool (the pairs proposed in
one run), would the score have ranked the pairs that went well above those that did
not? AUC (the chance a pair that went well outscores one that did not; 0.5 is chance)
and the share of pairs that went well among the pool's top half by score, for the new
and the current weights."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

import numpy as np
from numpy.typing import NDArray
from scipy.stats import rankdata

from .stats import Floats

Scorer = Floats
MIN_POOL = 4


class PoolBacktest(TypedDict):
    pool: str
    pairs: int
    went_well: int
    auc_new: float | None
    auc_current: float | None
    top_half_new: float | None
    top_half_current: float | None


class Backtest(TypedDict):
    pools: list[PoolBacktest]
    auc_new: float | None
    """Over the pools with an AUC, weighted by their pairs."""
    auc_current: float | None
    top_half_new: float | None
    top_half_current: float | None


def auc(well: Floats, score: Floats) -> float | None:
    """Mann-Whitney AUC with ties counted half; None without both kinds of pair."""
    good = int(well.sum())
    bad = len(well) - good
    if good == 0 or bad == 0:
        return None
    ranks = rankdata(score)
    return float((ranks[well == 1].sum() - good * (good + 1) / 2) / (good * bad))


def _top_half(score: Floats) -> NDArray[np.intp]:
    """Indices of the top half by score (ties broken by position, so it is stable)."""
    order = np.lexsort((np.arange(len(score)), -score))
    return order[: max(1, len(score) // 2)]


def top_half_mean(values: Floats, score: Floats, pools: Sequence[str]) -> float:
    """Mean of `values` over each pool's top half by `score`, the pools' halves pooled."""
    taken: list[float] = []
    names = np.array(pools)
    for pool in sorted(set(pools)):
        inside = np.flatnonzero(names == pool)
        taken.extend(values[inside][_top_half(score[inside])])
    return float(np.mean(taken))


def _pool(name: str, well: Floats, new: Floats, current: Floats) -> PoolBacktest:
    small = len(well) < MIN_POOL

    def share(score: Floats) -> float | None:
        return None if small else round(float(well[_top_half(score)].mean()), 4)

    def area(score: Floats) -> float | None:
        found = None if small else auc(well, score)
        return None if found is None else round(found, 4)

    return PoolBacktest(
        pool=name,
        pairs=len(well),
        went_well=int(well.sum()),
        auc_new=area(new),
        auc_current=area(current),
        top_half_new=share(new),
        top_half_current=share(current),
    )


def _weighted(pools: list[PoolBacktest], key: str) -> float | None:
    rows = [(p["pairs"], p[key]) for p in pools if p[key] is not None]  # type: ignore[literal-required]
    total = sum(n for n, _ in rows)
    return round(sum(n * float(v) for n, v in rows) / total, 4) if total else None


def backtest(well: Floats, new: Floats, current: Floats, pools: Sequence[str]) -> Backtest:
    names = np.array(pools)
    rows = []
    for pool in sorted(set(pools)):
        inside = np.flatnonzero(names == pool)
        rows.append(_pool(pool, well[inside], new[inside], current[inside]))
    return Backtest(
        pools=rows,
        auc_new=_weighted(rows, "auc_new"),
        auc_current=_weighted(rows, "auc_current"),
        top_half_new=_weighted(rows, "top_half_new"),
        top_half_current=_weighted(rows, "top_half_current"),
    )
