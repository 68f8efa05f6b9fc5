"""A figure as a table: the one shape every dashboard chart is drawn from and every
export is made of. The JSON answer is the table itself, the CSV its rows under its
columns, and the page draws the chart, its text alternative (`summary`) and its data
table from the same rows, so what a person sees and what a program downloads agree."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Literal, NotRequired, TypedDict

Kind = Literal["text", "date", "datetime", "count", "rate", "number"]
"""How a column reads: a rate is a fraction (0.25 shows as 25%), a date an ISO date, a
datetime an ISO instant (shown in the viewer's time zone), a number a mean or a score."""

Cell = str | int | float | bool | None


class Column(TypedDict):
    key: str
    label: str
    kind: Kind


class Table(TypedDict):
    figure: str
    """The figure's name in URLs: /programs/{id}/figures/{figure}."""
    title: str
    summary: str
    """The text alternative: what the chart shows, with its key numbers, in words."""
    columns: list[Column]
    rows: list[dict[str, Cell]]
    note: NotRequired[str]
    """What a reader should know: suppressed groups, facts not kept, the n."""
    at: NotRequired[str]
    """When the figures were taken, if not now (an audit's time): an ISO instant."""


def column(key: str, label: str, kind: Kind = "count") -> Column:
    return Column(key=key, label=label, kind=kind)


def table(
    figure: str,
    title: str,
    summary: str,
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, Cell]],
    note: str | None = None,
) -> Table:
    """A table whose rows carry exactly its columns' keys (a missing cell is None)."""
    keys = [c["key"] for c in columns]
    found = Table(
        figure=figure,
        title=title,
        summary=summary,
        columns=list(columns),
        rows=[{k: row.get(k) for k in keys} for row in rows],
    )
    if note:
        found["note"] = note
    return found


def whole_percent(value: float) -> int:
    """0.625 -> 63: halves round up, as a reader expects (not to the even digit)."""
    return math.floor(value * 100 + 0.5 + 1e-9)


def percent(value: float | None) -> str:
    """A rate in words: 0.253 -> '25%'; None -> 'no data'."""
    return "no data" if value is None else f"{whole_percent(value)}%"


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 match', '2 matches'."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def said(value: Cell, kind: Kind) -> str:
    """A value in a summary: a rate as a percentage, a fraction to two places."""
    if value is None:
        return "no data"
    if kind == "rate" and isinstance(value, int | float):
        return percent(value)
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def human_date(iso: str) -> str:
    """'2026-12-07' (or an instant on that day) -> '7 Dec 2026'."""
    day = date.fromisoformat(iso[:10])
    return f"{day.day} {day:%b %Y}"
