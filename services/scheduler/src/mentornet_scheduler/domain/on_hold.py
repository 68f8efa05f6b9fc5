"""Whether a match takes sessions booked or moved by hand: an active one does; a paused
one does not (409 naming the pause: until when, why, who paused it), an ended one
neither (409 with its state)."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.errors import Conflict

from .state import Match, MatchStatus


class MatchOnHold(Conflict):
    """The match is paused: the answer names the pause."""

    def __init__(self, match: Match) -> None:
        pause = match.get("pause")
        until = pause["resume_by"] if pause else "it is resumed"
        why = f" ({pause['reason']})" if pause and pause["reason"] else ""
        shown: dict[str, Any] | None = (
            {k: pause[k] for k in ("by", "reason", "paused_at", "resume_by")} if pause else None
        )
        super().__init__(
            "match_id",
            f"the match is paused until {until}{why}",
            match_status=str(match["status"]),
            pause=shown,
        )


class MatchEnded(Conflict):
    def __init__(self, match: Match) -> None:
        super().__init__(
            "match_id",
            f"match {match['match_id']} has ended",
            match_status=str(match["status"]),
        )


def check_open(match: Match) -> None:
    """Raises MatchOnHold (paused) or MatchEnded unless the match is active."""
    if match["status"] == MatchStatus.PAUSED:
        raise MatchOnHold(match)
    if match["status"] != MatchStatus.ACTIVE:
        raise MatchEnded(match)
