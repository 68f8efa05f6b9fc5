"""Stratified permuted-block randomisation of mentees to an experiment's arms.

Within each stratum (the mentee's segment) mentees are assigned in blocks: each block
holds every arm once, in an order drawn from numpy.random.default_rng([seed, stratum
digest, block index]). So arms stay balanced within each stratum to one block, and
the same seed and the same arrival order always give the same arms. Pure: the seed
comes from the experiment, nothing here reads a clock or a global random state.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

UNSPECIFIED = "unspecified"
"""The stratum of a mentee who gave no segment."""


def stratum_of(segment: str | None) -> str:
    """The stratum a mentee is randomised in: their segment, trimmed and lower-cased."""
    cleaned = (segment or "").strip().lower()
    return cleaned or UNSPECIFIED


def stratum_digest(stratum: str) -> int:
    """A stable 32-bit number for a stratum (Python's hash() changes per process)."""
    return int.from_bytes(hashlib.sha256(stratum.encode()).digest()[:4], "big")


def block_order(seed: int, stratum: str, block: int, arm_ids: Sequence[str]) -> tuple[str, ...]:
    """The arms of one block of a stratum, in their drawn order."""
    generator = np.random.default_rng([seed, stratum_digest(stratum), block])
    return tuple(arm_ids[k] for k in generator.permutation(len(arm_ids)).tolist())


def arm_at(seed: int, stratum: str, position: int, arm_ids: Sequence[str]) -> str:
    """The arm of the `position`-th mentee (from 0) assigned in the stratum."""
    block, offset = divmod(position, len(arm_ids))
    return block_order(seed, stratum, block, arm_ids)[offset]
