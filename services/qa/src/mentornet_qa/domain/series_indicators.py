"""One week's indicators of a program (series.py puts the weeks together). A level is
read at the week's `end`, a flow counts what happened in [start, end). Each indicator
is (value, n), n only for a rate or an average."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from statistics import fmean, median

from .documents import Match, Person, PersonStatus, SessionStatus
from .series_weeks import at, cases_of

Value = tuple[float | None, int | None]


def rate(part: int, n: int) -> Value:
    """part / n with its n (None when n is 0)."""
    return (round(part / n, 4) if n else None), n


def average(values: Sequence[float], middle: bool = False) -> Value:
    """The mean (the median when `middle`) with its n."""
    if not values:
        return None, 0
    return round(median(values) if middle else fmean(values), 4), len(values)


def inside(stamp: str | None, start: datetime, end: datetime) -> bool:
    """The time lies in [start, end)."""
    return bool(stamp) and start <= at(stamp or "") < end


def by(stamp: str | None, end: datetime) -> bool:
    """The time lies before `end`."""
    return bool(stamp) and at(stamp or "") < end


def _active(m: Match, end: datetime) -> bool:
    ended = m.get("ended_at")
    return by(m.get("confirmed_at"), end) and not by(ended, end)


def matching(
    matches: Sequence[Match], people: Sequence[Person], start: datetime, end: datetime
) -> dict[str, Value]:
    """Active at the week's end, proposed, confirmed and ended (by reason) in the week,
    and the median days from a mentee's registration to the matches confirmed in it."""
    since = {
        p["participant_id"]: role["since"] for p in people if (role := p["roles"].get("mentee"))
    }
    new = [m for m in matches if inside(m.get("confirmed_at"), start, end)]
    waits = [
        (at(m.get("confirmed_at") or "") - at(since[e])).total_seconds() / 86400
        for m in new
        if (e := m["mentee_id"]) and e in since
    ]
    found: dict[str, Value] = {
        "active_matches": (sum(1 for m in matches if _active(m, end)), None),
        "proposals": (sum(1 for m in matches if inside(m.get("proposed_at"), start, end)), None),
        "new_matches": (len(new), None),
        "days_to_match_median": average(waits, middle=True),
        "ended_matches": (0, None),
    }
    for m in matches:
        if inside(m.get("ended_at"), start, end):
            for key in ("ended_matches", f"ended_matches.{m.get('end_reason') or 'unknown'}"):
                found[key] = ((found.get(key, (0, None))[0] or 0) + 1, None)
    return found


def waitlist(people: Sequence[Person], matches: Sequence[Match], end: datetime) -> int:
    """Mentees waitlisted by the week's end and not matched by then. A withdrawal has
    no time here: a withdrawn person is left out of every week."""
    matched = {m["mentee_id"] for m in matches if by(m.get("confirmed_at"), end)}
    return sum(
        1
        for p in people
        if by(p.get("waitlisted_at"), end)
        and p["participant_id"] not in matched
        and p["status"] == PersonStatus.ACTIVE
    )


def places(people: Sequence[Person], program_id: str, default: int, end: datetime) -> int:
    """The mentor places at the week's end: active mentors registered by then, each
    with their capacity as it is now (capacity changes keep no time)."""
    return sum(
        (role.get("capacity") or default)
        for p in people
        if (role := p["roles"].get("mentor"))
        and role.get("program_id") == program_id
        and p["status"] == PersonStatus.ACTIVE
        and by(role["since"], end)
    )


def sessions(matches: Sequence[Match], start: datetime, end: datetime) -> dict[str, Value]:
    """Held and missed by the week the session was due to start in; the rubric average
    of the answers about them (answers keep no time of their own)."""
    held = missed = 0
    scores: list[float] = []
    for m in matches:
        for s in m["sessions"].values():
            if inside(s.get("starts_at") or s.get("completed_at"), start, end):
                held += s.get("status") == SessionStatus.COMPLETED
                missed += s.get("status") == SessionStatus.MISSED
        for f in m["feedback"].values():
            session = m["sessions"].get(f["session_id"])
            if f["rubric"] and session and inside(session.get("starts_at"), start, end):
                scores.append(sum(f["rubric"].values()) / len(f["rubric"]))
    return {
        "sessions_held": (held, None),
        "sessions_missed": (missed, None),
        "attendance_rate": rate(held, held + missed),
        "rubric_average": average(scores),
    }


def escalations(matches: Sequence[Match], start: datetime, end: datetime) -> dict[str, Value]:
    """Open and past their SLA at the week's end; opened and resolved in the week."""
    cases = [c for m in matches for c in cases_of(m)]
    open_ = [c for c in cases if by(c["opened_at"], end) and not by(c.get("resolved_at"), end)]
    return {
        "escalations_open": (len(open_), None),
        "escalations_past_sla": (sum(1 for c in open_ if at(c["due_at"]) < end), None),
        "escalations_opened": (sum(1 for c in cases if inside(c["opened_at"], start, end)), None),
        "escalations_resolved": (
            sum(1 for c in cases if inside(c.get("resolved_at"), start, end)),
            None,
        ),
    }


def outcomes(matches: Sequence[Match], start: datetime, end: datetime) -> dict[str, Value]:
    """Milestones reached in the week (a date: from its midnight UTC) and the share on
    time, and the mentees' end
    surveys submitted in it (their satisfaction)."""
    done = [
        d
        for m in matches
        for d in m.get("milestones_done", {}).values()
        if inside(d["completed_on"], start, end)
    ]
    surveys = [
        s
        for m in matches
        for s in m.get("end_surveys", {}).values()
        if s["role"] == "mentee" and inside(s["at"], start, end)
    ]
    return {
        "milestones_completed": (len(done), None),
        "milestones_on_time_rate": rate(sum(1 for d in done if d["on_time"]), len(done)),
        "end_surveys": (len(surveys), None),
        "satisfaction_average": average([float(s["satisfaction"]) for s in surveys]),
    }
