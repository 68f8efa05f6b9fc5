"""Which completed sessions QA reviews: a random share at the program's rate, new
mentors at a raised rate, and every active mentor at least once a period; all of it
reproducible from a seed, so an audit can be re-run.

The draw for a session is a hash of the seed and the session id, so it does not
depend on when, in what order or on which replica sessions were seen. Coverage, the
one part that looks at several sessions, is settled when the period closes: each
mentor with held sessions and none sampled gets the one with the lowest draw. A
re-run of the period makes every decision again from the same sessions and seed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

COVERAGE = "covers the mentor for the period"


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
    format: str | None = None
    """`async` for a written check-in (sampled like a live session; `started_at` is
    when it opened)."""


@dataclass(frozen=True)
class Decision:
    session_id: str
    sampled: bool
    reason: str
    double: bool = False


def period_of(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


def closes_at(period: str, grace: timedelta = timedelta(days=1)) -> datetime:
    """When a period's coverage is settled: the start of the next month, plus grace
    for sessions whose attendance comes in late."""
    year, month = (int(p) for p in period.split("-"))
    start = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return start + grace


def draw(seed: str, *parts: str) -> float:
    """A number in [0, 1) fixed by the seed and the parts."""
    digest = hashlib.sha256("|".join((seed, *parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def decide(held: Held, rules: SamplingRules, seed: str) -> Decision:
    """The draw against the rate, doubled (capped at 1) for a mentor who joined
    recently."""
    double = draw(seed, held.session_id, "double") < rules.double_share
    new = (
        held.mentor_since is not None and held.started_at - held.mentor_since < rules.new_mentor_for
    )
    rate = min(1.0, rules.rate * rules.new_mentor_boost) if new else rules.rate
    if draw(seed, held.session_id) < rate:
        reason = "new mentor, drawn at a raised rate" if new else "drawn at the program's rate"
        return Decision(held.session_id, True, reason, double)
    return Decision(held.session_id, False, "not drawn", double)


def cover(held: Iterable[Held], sampled: set[str], seed: str) -> list[str]:
    """At the period's close: for each mentor with no sampled session, the session
    with the lowest draw."""
    by_mentor: dict[str, list[Held]] = {}
    for h in held:
        by_mentor.setdefault(h.mentor_id, []).append(h)
    picked = []
    for sessions in by_mentor.values():
        if not any(h.session_id in sampled for h in sessions):
            picked.append(
                min(sessions, key=lambda h: (draw(seed, h.session_id), h.session_id)).session_id
            )
    return sorted(picked)


def replay(
    sessions: Sequence[Held], rules: SamplingRules, seed: str, closed: bool = True
) -> list[Decision]:
    """Every decision of a period again, from its sessions (an audit's re-run)."""
    decisions = {h.session_id: decide(h, rules, seed) for h in sessions}
    if closed:
        sampled = {sid for sid, d in decisions.items() if d.sampled}
        for sid in cover(sessions, sampled, seed):
            decisions[sid] = Decision(sid, True, COVERAGE, decisions[sid].double)
    return [decisions[h.session_id] for h in sessions]


def sample_id(session_id: str) -> str:
    return "qs-" + hashlib.sha256(session_id.encode()).hexdigest()[:16]
