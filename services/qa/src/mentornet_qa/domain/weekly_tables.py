"""The weekly series (series.py) as the dashboard's time charts: one table per chart,
a row per week and a column per indicator. Indicators of one chart share a unit, so
a chart never mixes a count with a rate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .series import Series
from .tables import Cell, Kind, Table, column, human_date, said, table


@dataclass(frozen=True)
class Line:
    indicator: str
    label: str
    level: bool = False
    """Read at the week's end (a level), not counted within it (a flow)."""


@dataclass(frozen=True)
class Chart:
    figure: str
    title: str
    kind: Kind
    lines: tuple[Line, ...]


WEEKLY: tuple[Chart, ...] = (
    Chart(
        "weekly_matching",
        "Matching, week by week",
        "count",
        (
            Line("active_matches", "active matches", level=True),
            Line("waitlist", "mentees waiting", level=True),
            Line("new_matches", "new matches"),
            Line("ended_matches", "matches ended"),
        ),
    ),
    Chart(
        "weekly_rates",
        "Utilisation, attendance and responses, week by week",
        "rate",
        (
            Line("utilisation", "mentor utilisation", level=True),
            Line("attendance_rate", "attendance"),
            Line("follow_up_completion_rate", "follow-up completion", level=True),
            Line("feedback_response_rate", "feedback response rate"),
        ),
    ),
    Chart(
        "weekly_sessions",
        "Sessions and feedback requests, week by week",
        "count",
        (
            Line("sessions_held", "sessions held"),
            Line("sessions_missed", "sessions missed"),
            Line("feedback_requests", "feedback requests due"),
        ),
    ),
    Chart(
        "weekly_scores",
        "Rubric and satisfaction (1-5), week by week",
        "number",
        (
            Line("rubric_average", "rubric average"),
            Line("satisfaction_average", "end-survey satisfaction"),
        ),
    ),
    Chart(
        "weekly_escalations",
        "Escalations, week by week",
        "count",
        (
            Line("escalations_open", "open", level=True),
            Line("escalations_past_sla", "past their SLA", level=True),
            Line("escalations_opened", "opened"),
            Line("escalations_resolved", "resolved"),
        ),
    ),
    Chart(
        "weekly_follow_up",
        "Follow-up action items, week by week",
        "count",
        (
            Line("follow_up_items", "items agreed"),
            Line("follow_up_completed", "items done"),
            Line("milestones_completed", "milestones reached"),
        ),
    ),
    Chart(
        "weekly_response_times",
        "Hours from a feedback request to its answer (median), week by week",
        "number",
        (Line("feedback_response_hours_median", "median hours to answer"),),
    ),
)


def _line_in_words(line: Line, kind: Kind, values: Sequence[Cell], weeks: Sequence[str]) -> str:
    if line.level or kind != "count":
        known = [(w, v) for w, v in zip(weeks, values, strict=True) if v is not None]
        if not known:
            return f"{line.label}: no data yet"
        (first, a), (last, b) = known[0], known[-1]
        if first == last:
            return f"{line.label} {said(a, kind)} in the week of {human_date(first)}"
        return (
            f"{line.label} {said(a, kind)} in the week of {human_date(first)},"
            f" {said(b, kind)} in the week of {human_date(last)}"
        )
    counts = [int(v or 0) for v in values]
    peak = max(range(len(counts)), key=lambda i: counts[i])
    busiest = (
        f", most in the week of {human_date(weeks[peak])} ({counts[peak]})" if any(counts) else ""
    )
    return f"{line.label} {sum(counts)} in all{busiest}"


def weekly_table(found: Series, chart: Chart) -> Table:
    weeks = found["weeks"]
    by_line = {
        line.indicator: [p["value"] for p in found["series"].get(line.indicator, [])]
        or [None] * len(weeks)
        for line in chart.lines
    }
    rows = [
        {"week": week, **{k: values[i] for k, values in by_line.items()}}
        for i, week in enumerate(weeks)
    ]
    if weeks:
        span = f"Weeks of {human_date(weeks[0])} to {human_date(weeks[-1])}: "
        parts = [
            _line_in_words(line, chart.kind, by_line[line.indicator], weeks) for line in chart.lines
        ]
        summary = span + "; ".join(parts) + "."
    else:
        summary = "No weeks with facts yet."
    columns = [column("week", "week starting (Monday, UTC)", "date")]
    columns += [column(line.indicator, line.label, chart.kind) for line in chart.lines]
    return table(chart.figure, chart.title, summary, columns, rows)


def weekly_tables(found: Series) -> list[Table]:
    return [weekly_table(found, chart) for chart in WEEKLY]
