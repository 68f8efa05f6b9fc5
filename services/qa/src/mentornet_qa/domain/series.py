"""A program's indicators week by week (ISO weeks, Monday 00:00 UTC), from the facts
QA keeps with their times. Pure: the caller passes `now`.

A level (active matches, waitlist, utilisation, open escalations, follow-up completion)
is read at the week's end (at `now` for the current week); a flow (new matches,
sessions, action items, feedback requests due, ...) counts what happened inside the
week (series_indicators.py; follow-up and feedback responses in series_workflow.py). A
rate or an average carries its n (None when n is 0); an empty week is a zero, never a
missing point. In the current week only what is past by `now` counts: a feedback
request due later this week is not counted yet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NotRequired, TypedDict

from . import series_indicators as indicators
from . import series_workflow as workflow
from .documents import Match, Person
from .series_weeks import WEEK, weeks


class Point(TypedDict):
    week: str
    value: float | None
    n: NotRequired[int]


class Series(TypedDict):
    program_id: str
    as_of: str
    weeks: list[str]
    series: dict[str, list[Point]]


CSV_COLUMNS = ("week", "indicator", "value", "n")


def week_values(
    program_id: str,
    matches: Sequence[Match],
    people: Sequence[Person],
    default_capacity: int,
    start: datetime,
    end: datetime,
) -> dict[str, indicators.Value]:
    """Every indicator of the week [start, end)."""
    found = indicators.matching(matches, people, start, end)
    places = indicators.places(people, program_id, default_capacity, end)
    active = int(found["active_matches"][0] or 0)
    return {
        **found,
        "waitlist": (indicators.waitlist(people, matches, end), None),
        "mentor_places": (places, None),
        "utilisation": indicators.rate(active, places),
        **indicators.sessions(matches, start, end),
        **indicators.escalations(matches, start, end),
        **indicators.outcomes(matches, start, end),
        **workflow.follow_up(matches, start, end),
        **workflow.responses(matches, start, end),
    }


def _end(start: datetime, now: datetime) -> datetime:
    """The week's end, or just past `now` in the current week: a fact stamped at `now`
    is in it (the headline figures count it too)."""
    return min(start + WEEK, now + timedelta(microseconds=1))


def series(
    program_id: str,
    matches: Sequence[Match],
    people: Sequence[Person],
    default_capacity: int,
    now: datetime,
    window: int,
) -> Series:
    """Each indicator's points from the program's first fact (at most `window` weeks
    back) to the current week."""
    starts = weeks(matches, people, now, window)
    by_week = [
        week_values(program_id, matches, people, default_capacity, s, _end(s, now)) for s in starts
    ]
    out: dict[str, list[Point]] = {}
    for name in sorted({k for week in by_week for k in week}):
        points: list[Point] = []
        for s, week in zip(starts, by_week, strict=True):
            value, n = week.get(name, (0, None))
            point = Point(week=s.date().isoformat(), value=value)
            if n is not None:
                point["n"] = n
            points.append(point)
        out[name] = points
    return {
        "program_id": program_id,
        "as_of": now.isoformat(),
        "weeks": [s.date().isoformat() for s in starts],
        "series": out,
    }


def rows(found: Series) -> list[dict[str, object]]:
    """The CSV rows: one per week and indicator (n empty where it is not a rate)."""
    return [
        {"week": p["week"], "indicator": name, "value": p["value"], "n": p.get("n", "")}
        for name, points in found["series"].items()
        for p in points
    ]
