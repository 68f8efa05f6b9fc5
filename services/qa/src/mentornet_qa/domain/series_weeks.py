"""ISO weeks (Monday 00:00 UTC) for a program's weekly series, and the facts' times."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from .documents import Case, Match, Person

WEEK = timedelta(days=7)
DEFAULT_WEEKS = 26
MAX_WEEKS = 104


def at(stamp: str) -> datetime:
    """A stored ISO time as an aware UTC datetime (naive ones are taken as UTC)."""
    found = datetime.fromisoformat(stamp)
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def week_of(moment: datetime) -> datetime:
    day = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def cases_of(match: Match) -> list[Case]:
    return [*match.get("closed_cases", []), *([c] if (c := match.get("case")) else [])]


def _stamps(matches: Sequence[Match], people: Sequence[Person]) -> Iterable[str]:
    for m in matches:
        yield m.get("proposed_at") or ""
        yield m.get("confirmed_at") or ""
        yield m.get("ended_at") or ""
        for s in m["sessions"].values():
            yield s.get("starts_at") or s.get("completed_at") or ""
        yield from (c["opened_at"] for c in cases_of(m))
    for p in people:
        yield p.get("waitlisted_at") or ""
        for role in (p["roles"].get("mentor"), p["roles"].get("mentee")):
            if role:
                yield role["since"]


def weeks(
    matches: Sequence[Match], people: Sequence[Person], now: datetime, window: int
) -> list[datetime]:
    """The week starts from the program's first fact (at most `window` weeks back) up to
    the current week; only the current week when there is no fact yet."""
    last = week_of(now)
    first = last - WEEK * (window - 1)
    facts = [at(s) for s in _stamps(matches, people) if s]
    start = max(first, week_of(min(facts))) if facts else last
    start = min(start, last)
    return [start + WEEK * i for i in range((last - start) // WEEK + 1)]
