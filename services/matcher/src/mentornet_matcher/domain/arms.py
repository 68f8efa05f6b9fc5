"""Scoring that follows each mentee's experiment arm (domain/experiments.py).

A mentee in an arm has their pairs scored with the arm rule's weights instead of the
program's; pairs scoring under the rule's `min_score`, or further apart in UTC offset
than its `max_timezone_distance_h`, are infeasible for them (-inf). Rows are grouped by
arm, so a pool with no experiment costs nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .experiment_rules import ArmRule

if TYPE_CHECKING:
    from .pool import Pool
    from .scoring import Block, Matrix

TOLERANCE = 1e-6


def rows_by_arm(
    arms: tuple[ArmRule | None, ...], start: int, stop: int
) -> dict[ArmRule, list[int]]:
    """Rows [start, stop) of each arm, as positions in the block."""
    grouped: dict[ArmRule, list[int]] = {}
    for i in range(start, min(stop, len(arms))):
        rule = arms[i]
        if rule is not None:
            grouped.setdefault(rule, []).append(i - start)
    return grouped


def zone_distance(pool: Pool, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """Hours between the UTC offsets of mentee rows and every mentor (NaN: unknown)."""
    mentee = pool.mentee_side.offset[rows][:, None]
    distance = np.abs(mentee - pool.mentor_side.offset[None, :])
    found: npt.NDArray[np.float64] = np.minimum(distance, 24 - distance)
    return found


def follow_arms(pool: Pool, block: Block, scores: Matrix, start: int) -> None:
    """Rescore, in place, the block's rows whose mentee is in an arm."""
    stop = start + scores.shape[0]
    for arm, positions in rows_by_arm(pool.arms, start, stop).items():
        rows = np.asarray(positions, dtype=np.intp)
        part = block.score(arm.weights, rows)
        if arm.rule.min_score > 0:
            part[part < np.float32(arm.rule.min_score - TOLERANCE)] = -np.inf
        limit = arm.rule.max_timezone_distance_h
        if limit is not None:
            part[zone_distance(pool, rows + start) > limit + TOLERANCE] = -np.inf
        scores[rows] = part


def ruled_out_by_arm(pool: Pool, block: Block, i: int, j: int) -> str | None:
    """Why the mentee's arm rule rules mentor j out (block: row i alone), if it does."""
    arm = pool.arms[i] if pool.arms else None
    if arm is None:
        return None
    rule = arm.rule
    named = f"the matching rule {rule.rule_id} v{rule.version} of the mentee's experiment arm"
    score = float(block.score(arm.weights)[0, j])
    if score < rule.min_score - TOLERANCE:
        return f"Scores {score:.2f}, under the minimum {rule.min_score:g} of {named}"
    limit = rule.max_timezone_distance_h
    distance = float(zone_distance(pool, np.asarray([i], dtype=np.intp))[0, j])
    if limit is not None and distance > limit + TOLERANCE:
        return f"{distance:g} h apart, beyond the {limit:g} h {named} allows"
    return None
