"""Which completed sessions QA reviews: a random share at the program's rate,
stratified so that every active mentor is reviewed at least once a period and new
mentors more often, and reproducible from a seed so an audit can be re-run.

The draw for a session is a hash of the seed and the session id, so the same seed
gives the same sample whatever order or replica the sessions were seen on; the one
piece of order that matters (a mentor's first session in the period is always
taken) is replayed from the sessions in the order of their start times.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

Period = dict[str, Any]


@dataclass(frozen=True)
class SamplingRules:
    rate: float
    """The program's qa_sample_rate."""
    new_mentor_for: timedelta = timedelta(days=90)
    new_mentor_boost: float = 2.0
    """New mentors are sampled at this multiple of the rate."""
    double_share: float = 0.2
    """Share of samples reviewed by two reviewers (for inter-reviewer agreement)."""


@dataclass(frozen=True)
class Held:
    """A completed session, as sampling sees it."""

    session_id: str
    match_id: str
    mentor_id: str
    mentee_id: str
    started_at: datetime
    mentor_since: datetime | None = None


@dataclass(frozen=True)
class Decision:
    session_id: str
    sampled: bool
    reason: str
    double: bool = False


def period_of(moment: datetime) -> str:
    return moment.strftime("%Y-%m")


def draw(seed: str, *parts: str) -> float:
    """A number in [0, 1) fixed by the seed and the parts."""
    digest = hashlib.sha256("|".join((seed, *parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def decide(seen_mentors: Iterable[str], held: Held, rules: SamplingRules, seed: str) -> Decision:
    """Sample the mentor's first session of the period; otherwise draw against the rate,
    doubled (capped at 1) for a mentor who joined recently."""
    double = draw(seed, held.session_id, "double") < rules.double_share
    if held.mentor_id not in set(seen_mentors):
        return Decision(held.session_id, True, "first session of the mentor this period", double)
    new = (
        held.mentor_since is not None and held.started_at - held.mentor_since < rules.new_mentor_for
    )
    rate = min(1.0, rules.rate * rules.new_mentor_boost) if new else rules.rate
    if draw(seed, held.session_id) < rate:
        reason = "new mentor, drawn at a raised rate" if new else "drawn at the program's rate"
        return Decision(held.session_id, True, reason, double)
    return Decision(held.session_id, False, "not drawn")


def replay(sessions: Iterable[Held], rules: SamplingRules, seed: str) -> list[Decision]:
    """Every decision of a period again, from its sessions (an audit's re-run)."""
    seen: set[str] = set()
    decisions = []
    for held in sorted(sessions, key=lambda h: (h.started_at, h.session_id)):
        decision = decide(seen, held, rules, seed)
        if decision.sampled:
            seen.add(held.mentor_id)
        decisions.append(decision)
    return decisions


def sample_id(session_id: str) -> str:
    return "qs-" + hashlib.sha256(session_id.encode()).hexdigest()[:16]
