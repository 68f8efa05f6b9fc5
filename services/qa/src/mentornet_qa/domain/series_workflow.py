"""One week's workflow indicators of a program: follow-up of the action items agreed in
session reports, and how feedback requests were answered (series.py puts the weeks
together). From the times QA keeps on each match (workflow_docs.py); a document kept
before QA recorded them counts as having none. Each indicator is (value, n), n only
for a rate or an average.

- `follow_up_items` (flow): action items agreed in the reports filed in the week.
- `follow_up_completed` (flow): action items completed in the week.
- `follow_up_completion_rate` (level at the week's end): items completed by then over
  items agreed by then; n = items agreed by then.
- `follow_up_on_time_rate`: share of the items completed in the week that were done by
  their due date; n = items completed in the week.
- `feedback_requests` (flow): feedback requests due in the week.
- `feedback_response_rate`: share of those answered by their due time (a later answer
  is not a response); n = requests due in the week.
- `feedback_response_hours_median`: median hours from a request to its first answer,
  over the answers that arrived in the week; n = those answers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from .documents import Match
from .series_indicators import Value, average, by, inside, rate
from .series_weeks import at
from .workflow_docs import FeedbackAsked


def _completed_by(match: Match, end: datetime) -> int:
    """The match's items completed by `end`, each counted against the report that
    agreed them (filed by then), never more than that report agreed."""
    reports = match.get("reports", {})
    done = Counter(
        d["report_id"] for d in match.get("items_completed", {}).values() if by(d["at"], end)
    )
    return sum(
        min(n, reports[rid]["count"])
        for rid, n in done.items()
        if rid in reports and by(reports[rid]["at"], end)
    )


def follow_up(matches: Sequence[Match], start: datetime, end: datetime) -> dict[str, Value]:
    """Action items agreed and completed in the week, the completion rate at its end
    and the share of the week's completions that were on time."""
    reports = [r for m in matches for r in m.get("reports", {}).values()]
    done = [
        d
        for m in matches
        for d in m.get("items_completed", {}).values()
        if inside(d["at"], start, end)
    ]
    agreed_by_end = sum(r["count"] for r in reports if by(r["at"], end))
    return {
        "follow_up_items": (sum(r["count"] for r in reports if inside(r["at"], start, end)), None),
        "follow_up_completed": (len(done), None),
        "follow_up_completion_rate": rate(
            sum(_completed_by(m, end) for m in matches), agreed_by_end
        ),
        "follow_up_on_time_rate": rate(sum(1 for d in done if d["on_time"]), len(done)),
    }


def _hours(asked: FeedbackAsked) -> float:
    waited = at(asked.get("answered_at") or "") - at(asked["requested_at"])
    return waited.total_seconds() / 3600


def _in_time(asked: FeedbackAsked) -> bool:
    answered = asked.get("answered_at")
    return bool(answered) and at(answered or "") <= at(asked["due_at"])


def responses(matches: Sequence[Match], start: datetime, end: datetime) -> dict[str, Value]:
    """Requests due in the week and the share answered by their due time; the median
    hours to the first answer of the answers that arrived in the week."""
    asked = [a for m in matches for a in m.get("requests", {}).values()]
    due = [a for a in asked if inside(a["due_at"], start, end)]
    answered = [a for a in asked if inside(a.get("answered_at"), start, end)]
    return {
        "feedback_requests": (len(due), None),
        "feedback_response_rate": rate(sum(1 for a in due if _in_time(a)), len(due)),
        "feedback_response_hours_median": average([_hours(a) for a in answered], middle=True),
    }
