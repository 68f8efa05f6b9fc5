"""A match's series: what its program asks of its sessions (how many, how often, of
which kind), and when it has run its course: the last session it planned is settled.

A series is over once the match is booked, no session is still scheduled, at least
one was held (a series of nothing but missed sessions is a stall, not an end) and no
planned date stays unplaced (a date never booked is not a date run).
The match then stops counting days without activity, and `series.completed` asks the
matcher to end it as completed and free the mentor's place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from mentornet_contracts.events.sessions import SeriesCompleted, SessionType

from .state import BookingState, Match, MatchStatus, SessionStatus

MAX_SESSIONS = 60
"""Sessions a series plans at most."""
WEEKS_PER_MONTH = 4.35
DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class Series:
    """What the program asks of a match's sessions."""

    sessions_per_month: int
    session_minutes: int
    duration_weeks: int
    tier: str

    @property
    def interval(self) -> timedelta:
        """Every few weeks on the kickoff's weekday when that comes within 15% of the
        cadence (1, 2, 4 or 5 a month); otherwise every few days (3 a month: every 10)."""
        per_month = self.sessions_per_month
        weeks = max(1, round(WEEKS_PER_MONTH / per_month))
        if abs(WEEKS_PER_MONTH / weeks - per_month) <= 0.15 * per_month:
            return timedelta(weeks=weeks)
        return timedelta(days=max(1, round(DAYS_PER_MONTH / per_month)))

    @property
    def tolerance(self) -> timedelta:
        """How far from its date a session may move when its exact time does not fit."""
        return min(timedelta(days=3), self.interval / 2)

    @property
    def count(self) -> int:
        if self.tier == "micro":
            return 1
        whole = timedelta(weeks=self.duration_weeks) // self.interval
        return max(1, min(MAX_SESSIONS, whole))

    def session_type(self, index: int) -> SessionType:
        if self.count == 1:
            return SessionType.REGULAR
        if index == 0:
            return SessionType.KICKOFF
        if index == self.count - 1:
            return SessionType.WRAP_UP
        if self.tier == "milestone" and index % 3 == 0:
            return SessionType.MILESTONE_REVIEW
        return SessionType.REGULAR


def is_over(match: Match) -> bool:
    sessions = match["sessions"]
    return (
        match["status"] == MatchStatus.ACTIVE
        and match["booking"] in (BookingState.BOOKED, BookingState.COHORT)
        and not match.get("series_done")
        and bool(sessions)
        and all(s["status"] != SessionStatus.SCHEDULED for s in sessions)
        and any(s["status"] == SessionStatus.COMPLETED for s in sessions)
        and not match.get("unplaced")
    )


def closing(match: Match, events: list[Any]) -> tuple[Match, list[Any]]:
    """The match and its events, with the series closed if this change ended it."""
    if not is_over(match):
        return match, events
    statuses = [s["status"] for s in match["sessions"]]
    done = SeriesCompleted(
        match_id=match["match_id"],
        program_id=match["program_id"],
        held=statuses.count(SessionStatus.COMPLETED),
        missed=statuses.count(SessionStatus.MISSED),
    )
    return {**match, "series_done": True}, [*events, done]
