"""Which placed matches must end when a mentor's capacity changes (a pair's time:
scoring.Block.too_little_time).

Pure decisions over match states; the service ends them and places the mentees again.
"""

from __future__ import annotations

from collections.abc import Sequence

from .documents import Match, MatchStatus
from .matches import HOLDS_CAPACITY
from .rules import Rules

LEAST_SETTLED_FIRST = {MatchStatus.PROPOSED: 0, MatchStatus.CONFIRMED: 1, MatchStatus.PAUSED: 1}


def over_capacity(holding: Sequence[Match], rules: Rules, override: int | None) -> list[Match]:
    """The matches beyond a mentor's (lowered) capacity in one program: proposals not
    yet accepted go first, then the most recent confirmed ones."""
    active = [m for m in holding if m["status"] in HOLDS_CAPACITY]
    allowed = rules.cohort_size or min(override or rules.max_active, rules.max_active)
    excess = len(active) - allowed
    if excess <= 0:
        return []
    newest_first = sorted(active, key=_proposed_at, reverse=True)
    return sorted(newest_first, key=_settledness)[:excess]


def _proposed_at(match: Match) -> str:
    return str(match.get("proposed_at", ""))


def _settledness(match: Match) -> int:
    return LEAST_SETTLED_FIRST[match["status"]]
