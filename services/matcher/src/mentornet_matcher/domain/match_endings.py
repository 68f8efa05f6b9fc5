"""How a match ends: the matcher ends a placed match (withdrawal, capacity or
availability change, a failed fit check, an escalation): status `ended`, and the
mentee is placed again without the pair when the pair itself failed; the program's
team closes an active match, early or as completed; a shortlisted option the mentee
did not pick is superseded. Pure, like domain/matches.py."""

from __future__ import annotations

from mentornet_contracts.events.matches import EndCause, MatchEnded, MatchEndReason

from .documents import Match, MatchStatus
from .matches import PENDING, PLACED, Refused, require


def end(
    match: Match, reason: MatchEndReason, cause: EndCause | None, detail: str, *, failed: bool
) -> tuple[Match, MatchEnded]:
    """The matcher ends a placed match (`cause` None: the program's team closed it). A
    failed pair (not a fit, escalated) is never proposed again; a pair ended for the
    person's circumstances may be."""
    require(match, *PLACED)
    event = MatchEnded(
        match_id=match["match_id"],
        mentee_id=match["mentee_id"],
        mentor_id=match["mentor_id"],
        program_id=match["program_id"],
        reason=reason,
        detail=detail[:500],
        cause=cause,
    )
    ended: Match = {**match, "status": MatchStatus.ENDED, "ended_from": match["status"]}
    if "due_epoch" in ended:
        ended["due_epoch"] = None  # a paused match's resume timer stops with it
    closed: Match = {**ended, "failed": failed, "end_reason": str(reason)}
    if cause is not None:
        closed["end_cause"] = str(cause)
    return closed, event


ACTIVE = (MatchStatus.CONFIRMED, MatchStatus.PAUSED)
CLOSING_REASONS = (
    MatchEndReason.COMPLETED,
    MatchEndReason.WITHDRAWN,
    MatchEndReason.STALLED,
    MatchEndReason.OTHER,
)
"""Why the program's team may close a match (a rematch is the matcher's own)."""


def close(match: Match, reason: MatchEndReason, detail: str) -> tuple[Match, MatchEnded]:
    """The program's team closes an active match, early or as completed; the mentee is
    not placed again. Refused (409) when the match is not active."""
    if match["status"] not in ACTIVE:
        reason_text = f"match {match['match_id']} is {match['status']}, not active"
        raise Refused("match_id", reason_text, match)
    return end(match, reason, None, detail, failed=False)


def supersede(match: Match, detail: str) -> tuple[Match, MatchEnded]:
    """An option the mentee did not pick."""
    require(match, *PENDING)
    ended, event = end(
        match, MatchEndReason.OTHER, EndCause.OPTION_NOT_PICKED, detail, failed=False
    )
    return {**ended, "status": MatchStatus.SUPERSEDED}, event
