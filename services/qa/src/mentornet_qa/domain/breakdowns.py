"""A program's figures broken down by the mentee's segment and by cohort, for the
dashboard. A group of fewer than `min_group` mentees shows its name only: no size and
no figure (`suppressed`). When exactly one group is hidden that way, the next smallest
is hidden too, or the program's totals less the groups shown would give the hidden one
(complementary suppression, as the outcome report does: outcome_suppression.py).

Only the program's mentees count (their mentee enrolment names the program; erased
people are left out, and so are their matches). Attendance and the rubric average are
the program health's figures (health.py) over the group's matches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import median

from .documents import Match, Person, SessionStatus
from .funnel import completed, count_of, matches_of, mentees, number_of
from .health import attendance, rubric
from .outcome_report import UNSPECIFIED
from .outcome_suppression import MIN_GROUP, complement
from .series_indicators import rate
from .series_weeks import at
from .tables import Cell, Table, column, percent, table

PAIRS = "1:1 pairs"
"""The matches that meet as a pair, in no cohort."""


def _few(min_group: int) -> str:
    return f"fewer than {min_group} people"


def suppressed(sizes: Mapping[str, int], min_group: int = MIN_GROUP) -> dict[str, str]:
    """Why each hidden group is hidden, by group: fewer than `min_group` people, or
    hidden so a smaller group cannot be worked out from the totals."""
    found = {g: _few(min_group) for g, n in sizes.items() if n < min_group}
    return found | complement(sizes, found)


def ordered(names: Sequence[str], last: str) -> list[str]:
    """By label, the catch-all group (`last`) at the end."""
    return sorted(names, key=lambda name: (name == last, name))


def note(why: Mapping[str, str]) -> str | None:
    """Which groups are hidden and why, in words."""
    if not why:
        return None
    by_reason: dict[str, list[str]] = {}
    for group, reason in why.items():
        by_reason.setdefault(reason, []).append(group)
    parts = [f"{', '.join(sorted(groups))} ({reason})" for reason, groups in by_reason.items()]
    return f"Figures hidden for {'; '.join(parts)}."


def _hidden_words(why: Mapping[str, str]) -> str:
    said = note(why)
    return f" {said}" if said else ""


def _days_to_match(person: Person, theirs: Sequence[Match]) -> float | None:
    role = person["roles"].get("mentee")
    confirmed = [c for m in theirs if (c := m.get("confirmed_at"))]
    if not role or not role.get("since") or not confirmed:
        return None
    return (at(min(confirmed, key=at)) - at(role["since"])).total_seconds() / 86400


def _segment_row(members: Sequence[Person], theirs: Mapping[str, list[Match]]) -> dict[str, Cell]:
    own = [theirs[p["participant_id"]] for p in members]
    days = (_days_to_match(p, theirs[p["participant_id"]]) for p in members)
    waits = [d for d in days if d is not None]
    matches = [m for t in own for m in t]
    return {
        "mentees": len(members),
        "matched_rate": rate(sum(any(m.get("confirmed_at") for m in t) for t in own), len(own))[0],
        "days_to_match_median": round(median(waits), 2) if waits else None,
        "attendance_rate": attendance(matches)["attendance_rate"],
        "rubric_average": rubric(matches)["average"],
        "completed": sum(any(completed(m) for m in t) for t in own),
    }


def _shown(
    label_key: str, groups: Mapping[str, dict[str, Cell]], why: Mapping[str, str], last: str
) -> list[dict[str, Cell]]:
    return [
        {label_key: name, "suppressed": True}
        if name in why
        else {label_key: name, **groups[name], "suppressed": False}
        for name in ordered(list(groups), last)
    ]


def by_segment(
    program_id: str, matches: Sequence[Match], people: Sequence[Person], min_group: int = MIN_GROUP
) -> Table:
    """The program's mentees by their segment (figure `by_segment`); a mentee with none
    is in "unspecified"."""
    found = mentees(program_id, people)
    theirs = matches_of(found, matches)
    groups: dict[str, list[Person]] = {}
    for person in found:
        groups.setdefault(person.get("segment") or UNSPECIFIED, []).append(person)
    why = suppressed({name: len(members) for name, members in groups.items()}, min_group)
    figures = {name: _segment_row(members, theirs) for name, members in groups.items()}
    rows = _shown("segment", figures, why, UNSPECIFIED)
    return table(
        "by_segment",
        "Mentees by segment",
        _segment_summary(rows, why),
        [
            column("segment", "Segment", "text"),
            column("mentees", "Mentees"),
            column("matched_rate", "Matched", "rate"),
            column("days_to_match_median", "Median days to a match", "number"),
            column("attendance_rate", "Attendance", "rate"),
            column("rubric_average", "Rubric average (1-5)", "number"),
            column("completed", "Completed a match"),
            column("suppressed", "Hidden (small group)", "text"),
        ],
        rows,
        note(why),
    )


def _segment_summary(rows: Sequence[dict[str, Cell]], why: Mapping[str, str]) -> str:
    if not rows:
        return "No mentees have registered in this program yet."
    said = [
        f"{r['segment']}: {r['mentees']} mentees, {percent(number_of(r['matched_rate']))} matched, "
        f"{r['completed']} completed"
        for r in rows
        if not r["suppressed"]
    ]
    shown = f"By segment, {'; '.join(said)}." if said else "Every segment is too small to show."
    return shown + _hidden_words(why)


def _cohort_row(matches: Sequence[Match]) -> dict[str, Cell]:
    held = {
        sid
        for m in matches
        for sid, s in m["sessions"].items()
        if s.get("status") == SessionStatus.COMPLETED
    }
    return {
        "members": len({m["mentee_id"] for m in matches}),
        "sessions_held": len(held),
        "attendance_rate": attendance(matches)["attendance_rate"],
        "rubric_average": rubric(matches)["average"],
        "escalations_open": sum(1 for m in matches if m.get("case")),
        "completed": len({m["mentee_id"] for m in matches if completed(m)}),
    }


def by_cohort(
    program_id: str, matches: Sequence[Match], people: Sequence[Person], min_group: int = MIN_GROUP
) -> Table:
    """The program's confirmed matches by cohort (figure `by_cohort`); those in none
    are "1:1 pairs". Members are distinct mentees; a proposal never confirmed is in no
    group."""
    theirs = matches_of(mentees(program_id, people), matches)
    groups: dict[str, list[Match]] = {}
    for m in (m for t in theirs.values() for m in t if m.get("confirmed_at")):
        groups.setdefault(m.get("cohort_id") or PAIRS, []).append(m)
    figures = {name: _cohort_row(members) for name, members in groups.items()}
    why = suppressed({name: count_of(f["members"]) for name, f in figures.items()}, min_group)
    rows = _shown("cohort", figures, why, PAIRS)
    return table(
        "by_cohort",
        "Matches by cohort",
        _cohort_summary(rows, why),
        [
            column("cohort", "Cohort", "text"),
            column("members", "Mentees"),
            column("sessions_held", "Sessions held"),
            column("attendance_rate", "Attendance", "rate"),
            column("rubric_average", "Rubric average (1-5)", "number"),
            column("escalations_open", "Escalations open"),
            column("completed", "Completed a match"),
            column("suppressed", "Hidden (small group)", "text"),
        ],
        rows,
        note(why),
    )


def _cohort_summary(rows: Sequence[dict[str, Cell]], why: Mapping[str, str]) -> str:
    if not rows:
        return "No matches have been confirmed in this program yet."
    said = [
        f"{r['cohort']}: {r['members']} mentees, {r['sessions_held']} sessions held, "
        f"attendance {percent(number_of(r['attendance_rate']))}"
        for r in rows
        if not r["suppressed"]
    ]
    shown = f"By cohort, {'; '.join(said)}." if said else "Every cohort is too small to show."
    return shown + _hidden_words(why)
