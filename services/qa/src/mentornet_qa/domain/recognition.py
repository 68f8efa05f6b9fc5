"""Recognition: each mentor's impact (sessions delivered, what their mentees said,
goals their mentees reached), awards when a program's thresholds are met (each once),
and an invitation to mentor for mentees who finish with their goals reached."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from pydantic import BaseModel, ConfigDict, Field

from .documents import Impact, Match
from .matches import completed_sessions


class Threshold(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    award: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    sessions: int = Field(default=0, ge=0, le=100_000)
    goals_reached: int = Field(default=0, ge=0, le=100_000)
    min_rubric: float | None = Field(default=None, ge=1, le=5)


DEFAULT_AWARDS = (
    Threshold(award="ten-sessions", sessions=10),
    Threshold(award="goals-reached", goals_reached=3, min_rubric=4.0),
)


def impact(mentor_id: str, matches: Sequence[Match]) -> Impact:
    theirs = [m for m in matches if m["mentor_id"] == mentor_id]
    scores = [
        sum(f["rubric"].values()) / len(f["rubric"])
        for m in theirs
        for f in m["feedback"].values()
        if f["role"] == "mentee" and f["rubric"]
    ]
    return Impact(
        mentor_id=mentor_id,
        matches=len(theirs),
        sessions_delivered=sum(completed_sessions(m) for m in theirs),
        rubric_average=round(fmean(scores), 4) if scores else None,
        goals_reached=sum(
            1 for m in theirs for status in m["goals"].values() if status == "achieved"
        ),
    )


def earned(
    figures: Impact, thresholds: Sequence[Threshold], already: Sequence[str]
) -> list[Threshold]:
    found = []
    for t in thresholds:
        if t.award in already:
            continue
        rubric_ok = t.min_rubric is None or (figures["rubric_average"] or 0) >= t.min_rubric
        if (
            figures["sessions_delivered"] >= t.sessions
            and figures["goals_reached"] >= t.goals_reached
            and rubric_ok
        ):
            found.append(t)
    return found


def reason(t: Threshold, figures: Impact) -> str:
    parts = [f"{figures['sessions_delivered']} sessions delivered"]
    if t.goals_reached:
        parts.append(f"{figures['goals_reached']} mentee goals reached")
    if t.min_rubric is not None:
        parts.append(f"rubric average {figures['rubric_average']}")
    return ", ".join(parts)


def finished_with_goals(match: Match) -> bool:
    """Ended as completed, with every goal tracked in the match achieved."""
    goals = match["goals"]
    return (
        match.get("end_reason") == "completed"
        and bool(goals)
        and all(s == "achieved" for s in goals.values())
    )
