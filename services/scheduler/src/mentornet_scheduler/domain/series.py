"""When a match has run its course: the last session its series planned is settled.

A series is over once the match is booked, no session is still scheduled, and at
least one was held (a series of nothing but missed sessions is a stall, not an end).
The match then stops counting days without activity, and `series.completed` asks the
matcher to end it as completed and free the mentor's place.
"""

from __future__ import annotations

from typing import Any

from mentornet_contracts.events.sessions import SeriesCompleted

from .matches import BOOKED, COHORT, COMPLETED, MISSED, SCHEDULED, Match


def is_over(match: Match) -> bool:
    sessions = match["sessions"]
    return (
        match["status"] == "active"
        and match.get("booking") in (BOOKED, COHORT)
        and not match.get("series_done")
        and bool(sessions)
        and all(s["status"] != SCHEDULED for s in sessions)
        and any(s["status"] == COMPLETED for s in sessions)
    )


def closing(match: Match, events: list[Any]) -> tuple[Match, list[Any]]:
    """The match and its events, with the series closed if this change ended it."""
    if not is_over(match):
        return match, events
    statuses = [s["status"] for s in match["sessions"]]
    done = SeriesCompleted(
        match_id=match["match_id"],
        program_id=match["program_id"],
        held=statuses.count(COMPLETED),
        missed=statuses.count(MISSED),
    )
    return {**match, "series_done": True}, [*events, done]
