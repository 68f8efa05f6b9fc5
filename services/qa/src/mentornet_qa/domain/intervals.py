"""95% confidence intervals for the figures QA reports, pure: the t interval of a mean
(stats.summary), Wilson's score interval of a proportion, and the distribution-free
interval of a median (order statistics, from the binomial). Each answers the estimate
and its interval, or None where the sample cannot give one."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist, median

from scipy import stats as scipy_stats

from . import stats

LEVEL = stats.LEVEL


@dataclass(frozen=True)
class Estimate:
    n: int
    value: float | None
    low: float | None
    high: float | None


def _z(level: float) -> float:
    return NormalDist().inv_cdf(0.5 + level / 2)


def mean(values: Sequence[float], level: float = LEVEL) -> Estimate:
    """The mean with its t interval (none under 2 values)."""
    found = stats.summary(list(values), level)
    low, high = found.ci if found.ci is not None else (None, None)
    return Estimate(found.n, found.mean, low, high)


def wilson(successes: int, n: int, level: float = LEVEL) -> Estimate:
    """A proportion with Wilson's score interval: within [0, 1] and sensible at 0 and 1
    successes, where the normal approximation is not."""
    if n <= 0:
        return Estimate(0, None, None, None)
    if not 0 <= successes <= n:
        raise ValueError(f"{successes} successes out of {n}")
    z = _z(level)
    p = successes / n
    spread = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / spread
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / spread
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Estimate(n, p, low, high)


def proportion(flags: Sequence[bool | float], level: float = LEVEL) -> Estimate:
    """Wilson's interval over 1/0 (or True/False) values."""
    return wilson(sum(1 for f in flags if f), len(flags), level)


def median_interval(values: Sequence[float], level: float = LEVEL) -> Estimate:
    """The median with the order statistics (k-th smallest, k-th largest) that cover
    it with at least `level` probability for any distribution; none under 6 values."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return Estimate(0, None, None, None)
    k = int(scipy_stats.binom.ppf((1 - level) / 2, n, 0.5))
    middle = float(median(ordered))
    if k < 1:
        return Estimate(n, middle, None, None)
    return Estimate(n, middle, float(ordered[k - 1]), float(ordered[n - k]))
