"""A match's life: proposed, then accepted (confirmed) or declined; ended later.

Pure functions from (state, command) to (new state, event). A proposal that is no
longer open refuses every decision with MatchNotOpen, which names the current state.
"""

from __future__ import annotations

from typing import Any

from mentornet_contracts.events.matches import (
    Decider,
    MatchAccepted,
    MatchConfirmed,
    MatchDeclined,
    MatchProposed,
    ScoreContribution,
)

Match = dict[str, Any]
OPEN = "proposed"
HOLDS_CAPACITY = ("proposed", "confirmed")


class MatchNotOpen(ValueError):
    def __init__(self, match: Match) -> None:
        super().__init__(f"match {match['match_id']} is {match['status']}, not open")
        self.match = match


def propose(
    match_id: str,
    program_id: str,
    mentee_id: str,
    mentor_id: str,
    score: float,
    explanation: tuple[ScoreContribution, ...],
    hours_per_month: float,
) -> tuple[Match, MatchProposed]:
    event = MatchProposed(
        match_id=match_id,
        mentee_id=mentee_id,
        mentor_id=mentor_id,
        program_id=program_id,
        score=round(min(max(score, 0.0), 1.0), 6),
        explanation=explanation,
    )
    state = {**event.model_dump(mode="json"), "status": OPEN, "hours": hours_per_month}
    return state, event


def decline(match: Match, by: Decider, reason: str) -> tuple[Match, MatchDeclined]:
    if match["status"] != OPEN:
        raise MatchNotOpen(match)
    event = MatchDeclined(
        match_id=match["match_id"], mentee_id=match["mentee_id"], by=by, reason=reason
    )
    return {**match, "status": "declined", "declined_by": str(by), "reason": reason}, event


def accept(match: Match, by: Decider) -> tuple[Match, MatchAccepted, MatchConfirmed]:
    if match["status"] != OPEN:
        raise MatchNotOpen(match)
    accepted = MatchAccepted(match_id=match["match_id"], mentee_id=match["mentee_id"], by=by)
    confirmed = MatchConfirmed(
        match_id=match["match_id"],
        mentee_id=match["mentee_id"],
        mentor_id=match["mentor_id"],
        program_id=match["program_id"],
    )
    return {**match, "status": "confirmed"}, accepted, confirmed
