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
from dataclasses import dataclass

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


@dataclass
class Slots:
    """An experiment's counts as the next assignments change them: mentees per arm and,
    per stratum, per arm. A stratum's next position is the sum of its counts, so the
    block and the place in it come from the counts the experiment's conditional write
    read: two assignments racing cannot take the same slot (one write fails, retries)."""

    seed: int
    arm_ids: tuple[str, ...]
    arm_counts: dict[str, int]
    strata: dict[str, dict[str, int]]

    def take(self, segment: str | None) -> tuple[str, str]:
        """The next mentee of the segment's stratum: (arm id, stratum), counted."""
        stratum = stratum_of(segment)
        in_stratum = self.strata.setdefault(stratum, {})
        arm_id = arm_at(self.seed, stratum, sum(in_stratum.values()), self.arm_ids)
        in_stratum[arm_id] = in_stratum.get(arm_id, 0) + 1
        self.arm_counts[arm_id] = self.arm_counts.get(arm_id, 0) + 1
        return arm_id, stratum

    def filled(self, min_sample: int) -> bool:
        """Every arm has its sample."""
        return min(self.arm_counts.values(), default=0) >= min_sample
