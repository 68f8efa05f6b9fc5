"""Why a mentee is waiting: the reasons no mentor could be proposed, most common first."""

from __future__ import annotations

import numpy as np
from mentornet_contracts.events.matches import WaitlistReason

from .documents import WaitlistEntry
from .pool import Pool
from .scoring import PoolScores


def reasons(pool: Pool, scores: PoolScores, i: int) -> tuple[WaitlistReason, ...]:
    """Each mentor's reason, the first that applies in this order: no shared language,
    declined before, a conflict rule, too little shared time, else no capacity; most
    common first (a tie: the one a lower mentor column gave first)."""
    _, m = pool.shape
    if m == 0:
        return (WaitlistReason.NO_CAPACITY,)
    block = scores.block(i, i + 1)
    left = np.ones(m, dtype=np.bool_)
    found: list[tuple[int, int, WaitlistReason]] = []
    for reason, applies in (
        (WaitlistReason.NO_SHARED_LANGUAGE, ~block.shared_language[0]),
        (WaitlistReason.ALL_PROPOSALS_DECLINED, pool.excluded[i]),
        (WaitlistReason.CONFLICT_RULES, block.conflict[0]),
        (
            WaitlistReason.NO_AVAILABILITY_OVERLAP,
            block.too_little_time(pool.rules.min_overlap_hours)[0],
        ),
        (WaitlistReason.NO_CAPACITY, np.ones(m, dtype=np.bool_)),
    ):
        mine = left & np.asarray(applies, dtype=np.bool_)
        if mine.any():
            found.append((-int(mine.sum()), int(np.argmax(mine)), reason))
        left &= ~mine
    return tuple(reason for _, _, reason in sorted(found))


def entry(
    program_id: str,
    why: tuple[WaitlistReason, ...],
    short_skills: tuple[str, ...] = (),
    current: WaitlistEntry | None = None,
) -> WaitlistEntry:
    """`waiting` is an explicit flag because the embedded server cannot query on an
    array position (docs/embedded-stack.md). The current entry's other fields (the
    mentee's offer claim) are kept."""
    return {
        **(current or {}),
        "program_id": program_id,
        "reasons": [str(r) for r in why],
        "short_skills": list(short_skills),
        "waiting": True,
    }


def placed(current: WaitlistEntry | None) -> WaitlistEntry | None:
    """The entry once the mentee has a proposal: kept, no longer waiting."""
    if current is None or not current.get("waiting"):
        return None
    return {**current, "reasons": [], "short_skills": [], "waiting": False}
