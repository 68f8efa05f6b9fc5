"""The network view across programs, for sponsors and the people running the whole
network: totals, each program's headline figures side by side, mentors' load across
programs (network_load.py) and skills in demand against supply (network_skills.py).

Each program's figures are health.py's, so a program's row here and its own dashboard
agree; the totals add them up. Erased people are never counted; a person in several
programs counts once in the totals (network_facts.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypedDict

from . import health
from .figures import Attendance, Escalations, Matching, Rubric, Utilisation
from .health_tables import HEADLINE_COLUMNS
from .health_tables import headline_row as _row
from .network_facts import ProgramFacts, distinct, ordered
from .network_load import mentor_load
from .network_skills import skills_in_demand
from .tables import Cell, Table, column, percent, plural, table


class Headline(TypedDict):
    """One program's figures, from health.py."""

    matching: Matching
    utilisation: Utilisation
    attendance: Attendance
    rubric: Rubric
    escalations: Escalations


def headline(program: ProgramFacts, now: datetime) -> Headline:
    people, matches, program_id = program.counted, program.matches, program.program_id
    return {
        "matching": health.matching(matches, people, program_id),
        "utilisation": health.utilisation(matches, people, program_id, program.default_capacity),
        "attendance": health.attendance(matches),
        "rubric": health.rubric(matches),
        "escalations": health.escalations(matches, now),
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _attended(rate: float | None) -> str:
    return "none recorded yet" if rate is None else f"attendance {percent(rate)}"


def totals(programs: Sequence[ProgramFacts], now: datetime) -> Table:
    figures = [headline(p, now) for p in programs]

    mentees = distinct(person for p in programs for person in p.enrolled("mentee"))
    mentors = distinct(person for p in programs for person, _ in p.holding("mentor"))
    held = sum(f["attendance"]["held"] for f in figures)
    missed = sum(f["attendance"]["missed"] for f in figures)
    active = sum(f["matching"]["active_matches"] for f in figures)
    waiting = sum(f["matching"]["waitlisted"] for f in figures)
    completed = sum(f["matching"]["completed_matches"] for f in figures)
    opened = sum(f["escalations"]["open"] for f in figures)
    overdue = sum(f["escalations"]["overdue"] for f in figures)
    attendance = _rate(held, held + missed)
    rows = [
        _row("programs", "programs", len(programs), "count"),
        _row("mentees", "mentees registered", mentees, "count"),
        _row("mentors", "active mentors", mentors, "count"),
        _row("active_matches", "active matches", active, "count"),
        _row("waitlisted", "mentees waiting", waiting, "count"),
        _row("sessions_held", "sessions held", held, "count"),
        _row("sessions_missed", "sessions missed", missed, "count"),
        _row("attendance_rate", "attendance", attendance, "rate"),
        _row("completed_matches", "completed matches", completed, "count"),
        _row("escalations_open", "open escalations", opened, "count"),
        _row("escalations_past_sla", "escalations past their SLA", overdue, "count"),
    ]
    summary = (
        f"Across {plural(len(programs), 'program')}, {plural(mentees, 'mentee')} registered"
        f" and {plural(mentors, 'mentor')} active (each person counted once);"
        f" {plural(active, 'match', 'matches')} active and {plural(waiting, 'mentee')} waiting."
        f" {plural(held, 'session')} held and {missed} missed ({_attended(attendance)});"
        f" {plural(opened, 'escalation')} open, {overdue} past SLA."
    )
    return table(
        "network_totals",
        "The network in numbers",
        summary,
        HEADLINE_COLUMNS,
        rows,
        note="Rates are fractions (0.5 is 50%). Mentees and mentors are distinct people"
        " across programs; erased people are not counted.",
    )


PROGRAM_COLUMNS = [
    column("program", "Program", "text"),
    column("program_id", "Program id", "text"),
    column("mentees", "Mentees"),
    column("active_matches", "Active matches"),
    column("waitlisted", "Waiting"),
    column("utilisation", "Utilisation", "rate"),
    column("attendance_rate", "Attendance", "rate"),
    column("rubric_average", "Rubric average", "number"),
    column("escalations_open", "Escalations open"),
    column("escalations_past_sla", "Past SLA"),
    column("completed_matches", "Completed matches"),
    column("days_to_match_median", "Days to match (median)", "number"),
]


def _program_row(program: ProgramFacts, found: Headline) -> dict[str, Cell]:
    matching = found["matching"]
    return {
        "program": program.name,
        "program_id": program.program_id,
        "mentees": matching["mentees"],
        "active_matches": matching["active_matches"],
        "waitlisted": matching["waitlisted"],
        "utilisation": found["utilisation"]["utilisation"],
        "attendance_rate": found["attendance"]["attendance_rate"],
        "rubric_average": found["rubric"]["average"],
        "escalations_open": found["escalations"]["open"],
        "escalations_past_sla": found["escalations"]["overdue"],
        "completed_matches": matching["completed_matches"],
        "days_to_match_median": matching["days_to_match_median"],
    }


def _words(value: Cell, key: str) -> str:
    if key in ("utilisation", "attendance_rate"):
        return percent(value if isinstance(value, float | int) else None)
    return str(value)


LEADERS = (
    ("mentees", "Most mentees", False),
    ("utilisation", "Highest utilisation", False),
    ("attendance_rate", "Lowest attendance", True),
    ("escalations_past_sla", "Most escalations past SLA", False),
)


def _leaders(rows: list[dict[str, Cell]]) -> list[str]:
    """Which program leads on each headline figure, in words (none when all are 0)."""
    said = []
    for key, words, lowest in LEADERS:
        known = [r for r in rows if isinstance(r[key], int | float)]
        if not known:
            continue
        values = [float(r[key] or 0) for r in known]
        best = min(values) if lowest else max(values)
        if not lowest and best == 0:
            continue
        row = known[values.index(best)]
        said.append(f"{words}: {row['program']} ({_words(row[key], key)}).")
    return said


def side_by_side(programs: Sequence[ProgramFacts], now: datetime) -> Table:
    rows = [_program_row(p, headline(p, now)) for p in ordered(programs)]
    summary = " ".join([f"{plural(len(rows), 'program')} side by side.", *_leaders(rows)])
    return table(
        "network_programs",
        "Programs side by side",
        summary,
        PROGRAM_COLUMNS,
        rows,
        note="Each row is the program's own dashboard figures; rates are fractions.",
    )


FIGURES = (
    "network_totals",
    "network_programs",
    "network_mentor_load",
    "network_busiest_mentors",
    "network_skills",
)
"""The network view's figures, in the order the page shows them."""


def network_tables(programs: Sequence[ProgramFacts], now: datetime) -> list[Table]:
    """Every table of the network view, in the order the page shows them."""
    return [
        totals(programs, now),
        side_by_side(programs, now),
        *mentor_load(programs),
        skills_in_demand(programs),
    ]
