"""Why a mentee is waiting: the reasons no mentor could be proposed, most common first."""

from __future__ import annotations

from collections import Counter

from mentornet_contracts.events.matches import WaitlistReason

from .documents import WaitlistEntry
from .pool import Pool
from .scoring import PoolScores


def reasons(pool: Pool, scores: PoolScores, i: int) -> tuple[WaitlistReason, ...]:
    block = scores.block(i, i + 1)
    _, m = pool.shape
    if m == 0:
        return (WaitlistReason.NO_CAPACITY,)
    found: Counter[WaitlistReason] = Counter()
    short_of_time = block.too_little_time(pool.rules.min_overlap_hours)[0]
    for j in range(m):
        if not block.shared_language[0, j]:
            found[WaitlistReason.NO_SHARED_LANGUAGE] += 1
        elif pool.excluded[i, j]:
            found[WaitlistReason.ALL_PROPOSALS_DECLINED] += 1
        elif block.conflict[0, j]:
            found[WaitlistReason.CONFLICT_RULES] += 1
        elif short_of_time[j]:
            found[WaitlistReason.NO_AVAILABILITY_OVERLAP] += 1
        else:
            found[WaitlistReason.NO_CAPACITY] += 1
    return tuple(reason for reason, _ in found.most_common())


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
