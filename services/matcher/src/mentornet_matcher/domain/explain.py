"""Every proposal explained, signal by signal, in plain words and without names;
and for any other mentor, why they were not proposed."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from mentornet_contracts.events.matches import ScoreContribution

from .arms import ruled_out_by_arm
from .scoring import NEUTRAL, PoolScores
from .skillmap import goal_weights


@dataclass(frozen=True)
class Explained:
    score: float
    feasible: bool
    contributions: tuple[ScoreContribution, ...]
    signals: dict[str, float] = field(default_factory=dict)
    """Each signal's raw value for the pair, in [0, 1], before weighting."""


def hours(value: float) -> str:
    """Hours a week as people write them: 1, 0.5, 0.25, 7.33."""
    return f"{round(value, 2):g}"


def _skills_text(scores: PoolScores, i: int, j: int) -> str:
    pool = scores.pool
    weights = goal_weights(pool.mentees[i].goals, pool.skills)
    if not weights:
        return "No goal skills given, so skills count as neutral"
    levels = pool.mentor_levels[j]
    full = sum(1 for (skill, need) in weights if levels[skill] >= need)
    below = sum(1 for (skill, need) in weights if 0 < levels[skill] < need)
    text = f"Covers {full} of {len(weights)} goal skills at the level needed"
    if below:
        text += f"; {below} at a lower level"
    related = len(weights) - full - below
    return text + (f"; related experience for {related}" if related else "")


def _texts(
    scores: PoolScores, i: int, j: int, values: dict[str, float], overlap: float, live: bool
) -> dict[str, str]:
    pool, mentee, mentor = scores.pool, scores.pool.mentees[i], scores.pool.mentors[j]
    distance = abs(pool.mentee_side.offset[i] - pool.mentor_side.offset[j])
    distance = min(distance, 24 - distance)
    wanted = [str(f) for f in mentee.formats]
    offered = [f for f in wanted if f in {str(g) for g in mentor.formats}]
    shared_languages = [lang for lang in mentee.languages if lang in mentor.languages]
    reach = [str(c) for c in mentee.channels]
    reached = [c for c in reach if c in {str(d) for d in mentor.channels}]
    need = pool.pace_need[i]
    weeks = pool.span.weeks
    return {
        "skills": _skills_text(scores, i, j),
        "availability": f"Shares {hours(overlap)} h a week over the program's {weeks} weeks; "
        f"the cadence needs {hours(pool.rules.min_overlap_hours)} h a week"
        if live
        else "Meets by written check-ins: no shared live time needed",
        "timezone": "Time zone unknown"
        if np.isnan(distance)
        else ("Same UTC offset" if distance == 0 else f"{distance:g} h apart"),
        "format": f"Offers {len(offered)} of the mentee's {len(wanted)} preferred formats"
        + (f" ({', '.join(offered)})" if offered else "")
        if wanted
        else "Mentee has no format preference",
        "style": "Mentee has no style preference"
        if mentee.preferred_style is None
        else (
            f"Coaching style matches the mentee's preference ({mentee.preferred_style})"
            if values["style"] == 1.0
            else f"Mentee prefers {mentee.preferred_style}; mentor's style is "
            f"{mentor.coaching_style or 'not given'}"
        ),
        "pace": "Mentee gave no learning pace"
        if np.isnan(need)
        else f"{mentee.learning_pace} pace wants {need:g} h a week; "
        f"{hours(overlap)} h a week shared",
        "channel": f"Uses {len(reached)} of the mentee's {len(reach)} channels between sessions"
        + (f" ({', '.join(reached)})" if reached else "")
        if reach
        else "Mentee has no channel preference",
        "language": f"Speaks the mentee's first language ({mentee.languages[0]})"
        if values["language"] == 1.0
        else f"Shares {', '.join(shared_languages) or 'no language'}, not the mentee's first",
    }


def explain(scores: PoolScores, i: int, j: int) -> Explained:
    block = scores.row_block(i)
    weights = {k: w for k, w in scores.weights_of(i).items() if k in block.signals}
    total = sum(weights.values()) or 1.0
    values = {name: float(block.signals[name][0, j]) for name in block.signals}
    overlap = float(block.overlap_hours[0, j])
    texts = _texts(scores, i, j, values, overlap, bool(block.live[0, j]))
    contributions = tuple(
        ScoreContribution(
            signal=name,
            contribution=round(weight / total * values[name], 4),
            text=texts[name][:300],
        )
        for name, weight in sorted(weights.items(), key=lambda kv: -kv[1] * values[kv[0]])
    )
    score = float(scores.scored(block, i)[0, j])
    raw = {name: round(min(max(value, 0.0), 1.0), 6) for name, value in values.items()}
    return Explained(score, bool(np.isfinite(score)), contributions, raw)


def why_not(scores: PoolScores, i: int, j: int, proposed: int | None = None) -> str:
    """The hard constraint that rules mentor j out for mentee i, or the signals that
    made another mentor better."""
    pool = scores.pool
    block = scores.block(i, i + 1)
    mentee, mentor = pool.mentees[i], pool.mentors[j]
    overlap = float(block.overlap_hours[0, j])
    if mentee.participant_id == mentor.participant_id:
        return "They are the same person"
    if not block.shared_language[0, j]:
        return (
            f"No common language (mentee: {', '.join(mentee.languages)}; "
            f"mentor: {', '.join(mentor.languages)})"
        )
    if pool.excluded[i, j]:
        return "This pair was tried before and did not work out (declined or rematched)"
    if block.conflict[0, j]:
        return _conflict_text(scores, i, j)
    if pool.capacity[j] <= 0:
        return "The mentor has no capacity left (active mentees or monthly hours at the limit)"
    if block.too_little_time(pool.rules.min_overlap_hours)[0, j]:
        return (
            f"Only {hours(overlap)} h a week of shared availability over the program's "
            f"{pool.span.weeks} weeks; the cadence needs {hours(pool.rules.min_overlap_hours)} h "
            "a week"
        )
    ruled_out = ruled_out_by_arm(pool, block, i, j)
    if ruled_out is not None:
        return ruled_out
    weights = scores.weights_of(i)
    score = float(block.score(weights)[0, j])
    if proposed is None or proposed == j:
        return f"Eligible (score {score:.2f}); their capacity went where it adds more in total"
    best = float(block.score(weights)[0, proposed])
    values = {s: (float(v[0, j]), float(v[0, proposed])) for s, v in block.signals.items()}
    cost = {s: (a - b) * weights.get(s, 0.0) for s, (a, b) in values.items()}
    weaker = sorted((s for s in cost if cost[s] < -1e-6), key=cost.__getitem__)[:2]
    where = " and ".join(f"{s} ({values[s][0]:.2f} vs {values[s][1]:.2f})" for s in weaker)
    return f"Eligible, but scores {score:.2f} against {best:.2f} for the proposed mentor" + (
        f"; weaker on {where}" if where else ""
    )


def _conflict_text(scores: PoolScores, i: int, j: int) -> str:
    mentee, mentor = scores.pool.mentees[i], scores.pool.mentors[j]
    if (
        scores.pool.rules.exclude_same_org_unit
        and mentee.org_unit
        and (mentee.org_unit == mentor.org_unit)
    ):
        return "Same org unit, which this program excludes"
    return "Same manager line, which this program excludes"


__all__ = ["NEUTRAL", "Explained", "explain", "why_not"]
