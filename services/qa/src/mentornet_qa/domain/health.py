"""Program health: the figures on the dashboard, computed from QA's read models. Pure,
so the dashboard and its JSON API show the same numbers by construction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from statistics import fmean, median
from typing import Any

from .matches import Match
from .people import Person

AGE_BUCKETS = (
    (timedelta(days=1), "under a day"),
    (timedelta(days=3), "1-3 days"),
    (timedelta(days=7), "3-7 days"),
)


def _days(a: str, b: str) -> float:
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds() / 86400


def matching(matches: Sequence[Match], people: Sequence[Person], program_id: str) -> dict[str, Any]:
    mentees = {
        p["participant_id"]: p
        for p in people
        if (p["roles"].get("mentee") or {}).get("program_id") == program_id
    }
    active = [m for m in matches if m["status"] == "confirmed"]
    first: dict[str, str] = {}
    for m in matches:
        if m.get("confirmed_at") and m["mentee_id"]:
            first[m["mentee_id"]] = min(
                first.get(m["mentee_id"], m["confirmed_at"]), m["confirmed_at"]
            )
    waits = []
    for mentee_id, confirmed_at in first.items():
        since = ((mentees.get(mentee_id) or {}).get("roles", {}).get("mentee") or {}).get("since")
        if since:
            waits.append(_days(since, confirmed_at))
    waiting = [p for p in mentees.values() if p.get("waitlisted_at") and p["status"] == "active"]
    return {
        "mentees": len(mentees),
        "active_matches": len(active),
        "completed_matches": sum(
            1 for m in matches if m["status"] == "ended" and m.get("end_reason") == "completed"
        ),
        "waitlisted": len(waiting),
        "days_to_match_median": round(median(waits), 2) if waits else None,
        "days_to_match_mean": round(fmean(waits), 2) if waits else None,
    }


def utilisation(
    matches: Sequence[Match], people: Sequence[Person], program_id: str, default_capacity: int
) -> dict[str, Any]:
    mentors = [
        p
        for p in people
        if (p["roles"].get("mentor") or {}).get("program_id") == program_id
        and p["status"] == "active"
    ]
    capacity = sum((p["roles"]["mentor"].get("capacity") or default_capacity) for p in mentors)
    busy = sum(1 for m in matches if m["status"] == "confirmed")
    return {
        "mentors": len(mentors),
        "places": capacity,
        "taken": busy,
        "utilisation": round(busy / capacity, 4) if capacity else None,
    }


def attendance(matches: Sequence[Match]) -> dict[str, Any]:
    statuses = [s.get("status") for m in matches for s in m["sessions"].values()]
    held, missed = statuses.count("completed"), statuses.count("missed")
    return {
        "held": held,
        "missed": missed,
        "attendance_rate": round(held / (held + missed), 4) if held + missed else None,
    }


def follow_up(matches: Sequence[Match]) -> dict[str, Any]:
    items = sum(m["items"] for m in matches)
    done = sum(m["items_done"] for m in matches)
    return {
        "items": items,
        "completed": done,
        "completion_rate": round(done / items, 4) if items else None,
    }


def rubric(matches: Sequence[Match]) -> dict[str, Any]:
    """The program's rubric average, and by month of the session (the trend)."""
    by_month: dict[str, list[float]] = {}
    scores = []
    for m in matches:
        for f in m["feedback"].values():
            if not f["rubric"]:
                continue
            average = sum(f["rubric"].values()) / len(f["rubric"])
            scores.append(average)
            month = (m["sessions"].get(f["session_id"], {}).get("starts_at") or "")[:7] or "unknown"
            by_month.setdefault(month, []).append(average)
    return {
        "average": round(fmean(scores), 4) if scores else None,
        "responses": len(scores),
        "by_month": [
            {"month": k, "average": round(fmean(v), 4), "responses": len(v)}
            for k, v in sorted(by_month.items())
        ],
    }


def escalations(matches: Sequence[Match], now: datetime) -> dict[str, Any]:
    open_cases = [m["case"] for m in matches if m.get("case")]
    ages = {label: 0 for _, label in AGE_BUCKETS} | {"over a week": 0}
    for case in open_cases:
        age = now - datetime.fromisoformat(case["opened_at"])
        label = next((name for limit, name in AGE_BUCKETS if age < limit), "over a week")
        ages[label] += 1
    overdue = sum(1 for c in open_cases if datetime.fromisoformat(c["due_at"]) < now)
    severities: dict[str, int] = {}
    for case in open_cases:
        severities[case["severity"]] = severities.get(case["severity"], 0) + 1
    resolved = sum(m.get("cases_resolved", len(m.get("closed_cases", []))) for m in matches)
    return {
        "open": len(open_cases),
        "overdue": overdue,
        "resolved": resolved,
        "by_age": ages,
        "by_severity": severities,
    }


def health(
    program: dict[str, Any],
    matches: Sequence[Match],
    people: Sequence[Person],
    now: datetime,
    fairness: dict[str, Any] | None,
    coverage: dict[str, Any] | None,
    sampling: dict[str, Any],
) -> dict[str, Any]:
    program_id = program["program_id"]
    return {
        "program_id": program_id,
        "name": program.get("name"),
        "as_of": now.isoformat(),
        "matching": matching(matches, people, program_id),
        "utilisation": utilisation(
            matches, people, program_id, int(program.get("max_active_mentees_per_mentor") or 1)
        ),
        "attendance": attendance(matches),
        "follow_up": follow_up(matches),
        "rubric": rubric(matches),
        "escalations": escalations(matches, now),
        "fairness": fairness or {"audited_at": None, "attributes": [], "disparities": 0},
        "coverage_gaps": coverage or {"skills": [], "waiting_mentees": 0},
        "qa_sampling": sampling,
    }
