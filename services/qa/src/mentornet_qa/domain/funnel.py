"""The intake funnel of a program: how many of its mentees reached each step, and how
many dropped off between steps. Each step counts distinct mentees of the program (their
mentee enrolment names it; erased people are not counted), and a mentee counts at a
step only if they counted at the step before, so a step never exceeds the one before
and no drop-off is negative:

- registered: enrolled as a mentee of the program;
- matched: had a confirmed match (one with `confirmed_at`);
- first session: a session of one of their matches was held (completed);
- active: still going or saw it through: in a confirmed match now (one on hold
  included, as the dashboard's active matches count it), or held a session in the
  `ACTIVE_DAYS` days up to now, or finished a match as completed. Someone who
  completed their mentoring months ago has not dropped off, so finishing counts;
- completed: one of their matches ended with `end_reason` "completed".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from .documents import Match, MatchStatus, Person, PersonStatus, SessionStatus
from .series_indicators import rate
from .series_weeks import at
from .tables import Cell, Table, column, percent, table

ACTIVE_DAYS = 28

Step = Callable[[Sequence[Match], datetime], bool]


def mentees(program_id: str, people: Sequence[Person]) -> list[Person]:
    """The program's mentees (the mentee enrolment names it), erased people left out."""
    return [
        p
        for p in people
        if p["status"] != PersonStatus.ERASED
        and (role := p["roles"].get("mentee")) is not None
        and role.get("program_id") == program_id
    ]


def matches_of(found: Sequence[Person], matches: Sequence[Match]) -> dict[str, list[Match]]:
    """Each mentee's matches, by participant id (a mentee with none has an empty list)."""
    theirs: dict[str, list[Match]] = {p["participant_id"]: [] for p in found}
    for m in matches:
        if m["mentee_id"] in theirs:
            theirs[m["mentee_id"]].append(m)
    return theirs


def held(match: Match) -> list[str]:
    """When each of the match's completed sessions took place (its start, else when it
    was recorded complete)."""
    times = (
        s.get("starts_at") or s.get("completed_at") or ""
        for s in match["sessions"].values()
        if s.get("status") == SessionStatus.COMPLETED
    )
    return [t for t in times if t]


def _matched(theirs: Sequence[Match], now: datetime) -> bool:
    return any(m.get("confirmed_at") for m in theirs)


def _first_session(theirs: Sequence[Match], now: datetime) -> bool:
    return any(
        s.get("status") == SessionStatus.COMPLETED for m in theirs for s in m["sessions"].values()
    )


def completed(match: Match) -> bool:
    return match["status"] == MatchStatus.ENDED and match.get("end_reason") == "completed"


def _active(theirs: Sequence[Match], now: datetime) -> bool:
    since = now - timedelta(days=ACTIVE_DAYS)
    return any(
        m["status"] == MatchStatus.CONFIRMED
        or completed(m)
        or any(since <= at(t) <= now for t in held(m))
        for m in theirs
    )


def _completed(theirs: Sequence[Match], now: datetime) -> bool:
    return any(completed(m) for m in theirs)


STEPS: tuple[tuple[str, Step], ...] = (
    ("registered", lambda theirs, now: True),
    ("matched", _matched),
    ("first session", _first_session),
    ("active", _active),
    ("completed", _completed),
)


def counts(
    program_id: str, matches: Sequence[Match], people: Sequence[Person], now: datetime
) -> list[tuple[str, int]]:
    """How many mentees reached each step, each counted only if at the step before."""
    remaining = list(matches_of(mentees(program_id, people), matches).values())
    found = []
    for name, reached in STEPS:
        remaining = [theirs for theirs in remaining if reached(theirs, now)]
        found.append((name, len(remaining)))
    return found


def _rows(steps: Sequence[tuple[str, int]]) -> list[dict[str, Cell]]:
    registered = steps[0][1]
    rows: list[dict[str, Cell]] = []
    previous: int | None = None
    for name, people in steps:
        dropped = 0 if previous is None else previous - people
        rows.append(
            {
                "step": name,
                "people": people,
                "share_of_registered": rate(people, registered)[0],
                "dropped": dropped,
                "drop_off_rate": None if previous is None else rate(dropped, previous)[0],
            }
        )
        previous = people
    return rows


def _summary(rows: Sequence[dict[str, Cell]]) -> str:
    registered = count_of(rows[0]["people"])
    if not registered:
        return "No mentees have registered in this program yet."
    shares = [
        f"{r['people']} {_verb(str(r['step']))} ({percent(number_of(r['share_of_registered']))})"
        for r in rows[1:]
    ]
    said = f"Of {_mentees(registered)} registered, {', '.join(shares[:-1])} and {shares[-1]}."
    worst = max(range(1, len(rows)), key=lambda i: (count_of(rows[i]["dropped"]), -i))
    dropped = count_of(rows[worst]["dropped"])
    if not dropped:
        return f"{said} Nobody dropped off between steps."
    return (
        f"{said} The biggest drop-off is from {rows[worst - 1]['step']} to "
        f"{rows[worst]['step']}: {dropped} of {_mentees(count_of(rows[worst - 1]['people']))} "
        f"({percent(number_of(rows[worst]['drop_off_rate']))}) have not reached it."
    )


def _mentees(n: int) -> str:
    return f"{n} mentee" if n == 1 else f"{n} mentees"


def _verb(step: str) -> str:
    return {
        "matched": "were matched",
        "first session": "had a first session",
        "active": "are active or finished",
        "completed": "completed a match",
    }[step]


def number_of(cell: Cell) -> float | None:
    """A cell read as a number (None if it holds none)."""
    return float(cell) if isinstance(cell, int | float) else None


def count_of(cell: Cell) -> int:
    """A cell read as a count (0 if it holds none)."""
    return cell if isinstance(cell, int) else 0


def funnel(
    program_id: str, matches: Sequence[Match], people: Sequence[Person], now: datetime
) -> Table:
    """The program's intake funnel as of `now` (figure `funnel`): a row per step."""
    rows = _rows(counts(program_id, matches, people, now))
    return table(
        "funnel",
        "Mentee journey: registered to completed",
        _summary(rows),
        [
            column("step", "Step", "text"),
            column("people", "Mentees"),
            column("share_of_registered", "Share of registered", "rate"),
            column("dropped", "Dropped since the step before"),
            column("drop_off_rate", "Drop-off rate", "rate"),
        ],
        rows,
        note=(
            "Each step counts only mentees counted at the step before. Active: in a "
            f"confirmed match now (on hold included), held a session in the {ACTIVE_DAYS} "
            "days up to now, or finished a match as completed. Erased people are not counted."
        ),
    )
