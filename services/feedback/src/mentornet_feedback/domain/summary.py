"""Aggregates over matches: rubric averages by dimension and overall, the trend over
sessions, response rates and follow-up completion. Pure, so the numbers can be
checked by hand; the HTTP API serves them per match, per mentor and per program."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from statistics import fmean
from typing import TypedDict

from .state import Match, Request, RequestStatus

TREND_STEP = 0.1
"""Rubric points per session above which the trend counts as rising (or falling)."""


class Direction(StrEnum):
    RISING = "rising"
    FALLING = "falling"
    STEADY = "steady"
    UNKNOWN = "not enough sessions"


class SessionAverage(TypedDict):
    session_id: str
    starts_at: str
    average: float


class Trend(TypedDict):
    sessions: list[SessionAverage]
    slope: float | None
    direction: Direction


class FollowUp(TypedDict):
    items: int
    completed: int
    due: int
    completed_of_due: int
    completion_rate: float | None


class Summary(TypedDict):
    matches: int
    requests: int
    responses: int
    response_rate: float | None
    rubric_average: float | None
    rubric_by_dimension: dict[str, float]
    trend: Trend
    follow_up: FollowUp


def _answered(matches: Iterable[Match], role: str | None) -> list[Request]:
    return [
        r
        for m in matches
        for r in m["requests"].values()
        if r["status"] == RequestStatus.ANSWERED and (role is None or r["role"] == role)
    ]


def _requested(matches: Iterable[Match], role: str | None, today: date) -> int:
    """Requests that could have been answered by now: answered, closed, or past due."""
    return sum(
        1
        for m in matches
        for r in m["requests"].values()
        if (role is None or r["role"] == role)
        and (r["status"] != RequestStatus.OPEN or date.fromisoformat(r["due_at"][:10]) < today)
    )


def rubric_average(matches: Iterable[Match], role: str | None = None) -> float | None:
    scores = [s for r in _answered(matches, role) for s in r.get("rubric", {}).values()]
    return round(fmean(scores), 4) if scores else None


def by_dimension(answered: Sequence[Request]) -> dict[str, float]:
    dims: dict[str, list[int]] = {}
    for request in answered:
        for dim, score in request.get("rubric", {}).items():
            dims.setdefault(dim, []).append(score)
    return {dim: round(fmean(values), 4) for dim, values in sorted(dims.items())}


def trend(matches: Sequence[Match], role: str | None) -> Trend:
    """Per session (in time order) the average rubric score, and the least-squares
    slope over them: rising, falling or steady; fewer than three sessions say nothing."""
    per_session: dict[tuple[str, str], list[int]] = {}
    for match in matches:
        for request in _answered([match], role):
            session = match["sessions"].get(request["session_id"])
            key = (session["starts_at"] if session else "", request["session_id"])
            per_session.setdefault(key, []).extend(request.get("rubric", {}).values())
    points = [(key, fmean(v)) for key, v in sorted(per_session.items())]
    series: list[SessionAverage] = [
        {"session_id": k[1], "starts_at": k[0], "average": round(a, 4)} for k, a in points
    ]
    if len(points) < 3:
        return {"sessions": series, "slope": None, "direction": Direction.UNKNOWN}
    xs = list(range(len(points)))
    ys = [a for _, a in points]
    mx, my = fmean(xs), fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
    direction = (
        Direction.RISING
        if slope > TREND_STEP
        else Direction.FALLING
        if slope < -TREND_STEP
        else Direction.STEADY
    )
    return {"sessions": series, "slope": round(slope, 4), "direction": direction}


def follow_up(matches: Iterable[Match], today: date) -> FollowUp:
    """Completion of action items: of all, and of those due by today."""
    items = [i for m in matches for r in m["reports"].values() for i in r["items"].values()]
    due = [i for i in items if date.fromisoformat(i["due_date"]) <= today]
    done_due = [i for i in due if i["completed_at"] is not None]
    done = [i for i in items if i["completed_at"] is not None]
    return {
        "items": len(items),
        "completed": len(done),
        "due": len(due),
        "completed_of_due": len(done_due),
        "completion_rate": round(len(done_due) / len(due), 4) if due else None,
    }


def summarize(matches: Sequence[Match], today: date, role: str | None = None) -> Summary:
    """`role`: only what the mentees (or the mentors) answered, e.g. a mentor's summary
    reads what their mentees said."""
    answered = _answered(matches, role)
    requested = _requested(matches, role, today)
    return {
        "matches": len(matches),
        "requests": requested,
        "responses": len(answered),
        "response_rate": round(len(answered) / requested, 4) if requested else None,
        "rubric_average": rubric_average(matches, role),
        "rubric_by_dimension": by_dimension(answered),
        "trend": trend(matches, role),
        "follow_up": follow_up(matches, today),
    }
