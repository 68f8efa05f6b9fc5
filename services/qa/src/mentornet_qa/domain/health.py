"""Program health: the figures on the dashboard, computed from QA's read models. Pure,
so the dashboard and its JSON API show the same numbers by construction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from statistics import fmean, median
from typing import Literal

from .audits import AuditRecord
from .documents import Match, MatchStatus, Person, PersonStatus, SessionStatus
from .figures import (
    Attendance,
    Escalations,
    FollowUp,
    Health,
    Matching,
    MonthRubric,
    NoAudit,
    NoCoverage,
    Rubric,
    Sampling,
    Scheduling,
    Utilisation,
)
from .pauses import paused_now
from .program import Coverage, ProgramState
from .unplaced import unplaced_now

AGE_BUCKETS = (
    (timedelta(days=1), "under a day"),
    (timedelta(days=3), "1-3 days"),
    (timedelta(days=7), "3-7 days"),
)


def _days(a: str, b: str) -> float:
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds() / 86400


def _in_program(person: Person, role: Literal["mentor", "mentee"], program_id: str) -> bool:
    held = person["roles"].get(role)
    return held is not None and held.get("program_id") == program_id


def matching(matches: Sequence[Match], people: Sequence[Person], program_id: str) -> Matching:
    mentees = {p["participant_id"]: p for p in people if _in_program(p, "mentee", program_id)}
    active = [m for m in matches if m["status"] == MatchStatus.CONFIRMED]
    first: dict[str, str] = {}
    for m in matches:
        confirmed_at = m.get("confirmed_at")
        if confirmed_at and m["mentee_id"]:
            first[m["mentee_id"]] = min(first.get(m["mentee_id"], confirmed_at), confirmed_at)
    waits = []
    for mentee_id, confirmed_at in first.items():
        mentee = mentees.get(mentee_id)
        role = mentee["roles"].get("mentee") if mentee else None
        if role and role.get("since"):
            waits.append(_days(role["since"], confirmed_at))
    waiting = [
        p for p in mentees.values() if p.get("waitlisted_at") and p["status"] == PersonStatus.ACTIVE
    ]
    return {
        "mentees": len(mentees),
        "active_matches": len(active),
        "completed_matches": sum(
            1
            for m in matches
            if m["status"] == MatchStatus.ENDED and m.get("end_reason") == "completed"
        ),
        "waitlisted": len(waiting),
        "days_to_match_median": round(median(waits), 2) if waits else None,
        "days_to_match_mean": round(fmean(waits), 2) if waits else None,
    }


def utilisation(
    matches: Sequence[Match], people: Sequence[Person], program_id: str, default_capacity: int
) -> Utilisation:
    mentors = [
        p
        for p in people
        if _in_program(p, "mentor", program_id) and p["status"] == PersonStatus.ACTIVE
    ]
    capacity = sum(
        (p["roles"].get("mentor", {}).get("capacity") or default_capacity) for p in mentors
    )
    busy = sum(1 for m in matches if m["status"] == MatchStatus.CONFIRMED)
    return {
        "mentors": len(mentors),
        "places": capacity,
        "taken": busy,
        "utilisation": round(busy / capacity, 4) if capacity else None,
    }


def attendance(matches: Sequence[Match]) -> Attendance:
    statuses = [s.get("status") for m in matches for s in m["sessions"].values()]
    held, missed = statuses.count(SessionStatus.COMPLETED), statuses.count(SessionStatus.MISSED)
    return {
        "held": held,
        "missed": missed,
        "attendance_rate": round(held / (held + missed), 4) if held + missed else None,
    }


def follow_up(matches: Sequence[Match]) -> FollowUp:
    items = sum(m["items"] for m in matches)
    done = sum(m["items_done"] for m in matches)
    return {
        "items": items,
        "completed": done,
        "completion_rate": round(done / items, 4) if items else None,
    }


def rubric(matches: Sequence[Match]) -> Rubric:
    """The program's rubric average, and by month of the session (the trend)."""
    by_month: dict[str, list[float]] = {}
    scores = []
    for m in matches:
        for f in m["feedback"].values():
            if not f["rubric"]:
                continue
            average = sum(f["rubric"].values()) / len(f["rubric"])
            scores.append(average)
            session = m["sessions"].get(f["session_id"])
            starts = (session.get("starts_at") if session else None) or ""
            month = starts[:7] or "unknown"
            by_month.setdefault(month, []).append(average)
    return {
        "average": round(fmean(scores), 4) if scores else None,
        "responses": len(scores),
        "by_month": [
            MonthRubric(month=k, average=round(fmean(v), 4), responses=len(v))
            for k, v in sorted(by_month.items())
        ],
    }


def escalations(matches: Sequence[Match], now: datetime) -> Escalations:
    open_cases = [case for m in matches if (case := m.get("case"))]
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


def scheduling(matches: Sequence[Match]) -> Scheduling:
    """Each match counts its latest report's dates once (a repeat replaces it), less
    the dates booked since; ended and declined matches no longer count."""
    dates = [(m["match_id"], d["reason"]) for m in matches for d in unplaced_now(m)]
    by_reason: dict[str, int] = {}
    for _, reason in dates:
        by_reason[reason] = by_reason.get(reason, 0) + 1
    return {
        "unbookable_sessions": len(dates),
        "matches_affected": len({match_id for match_id, _ in dates}),
        "by_reason": dict(sorted(by_reason.items())),
        "paused_matches": sum(1 for m in matches if paused_now(m)),
    }


def health(
    program: ProgramState,
    matches: Sequence[Match],
    people: Sequence[Person],
    now: datetime,
    fairness: AuditRecord | None,
    coverage: Coverage | None,
    sampling: Sampling,
) -> Health:
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
        "scheduling": scheduling(matches),
        "fairness": fairness or NoAudit(audited_at=None, attributes=[], disparities=0),
        "coverage_gaps": coverage or NoCoverage(skills=[], waiting_mentees=0),
        "qa_sampling": sampling,
    }
