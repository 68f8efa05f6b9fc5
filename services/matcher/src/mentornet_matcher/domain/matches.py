"""A match's life, by the program's approval mode:

    auto               proposed -> confirmed (mentor accepts) | declined
    coordinator_review in_review -> proposed (approved) | rejected; then as auto
    mentee_shortlist   shortlisted (three options) -> proposed (picked) | superseded

Any placed match can be ended (domain/match_endings.py).

A confirmed match may be paused and resumed (domain/pauses.py); only `proposed`,
`confirmed` and `paused` hold the mentor's capacity. Pure functions from
(state, command) to (new state, events); a decision on a match that is not in the
state it needs raises MatchNotOpen (a Refused, 409), which names the current state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from mentornet_chassis.errors import Conflict
from mentornet_contracts.events.common import SessionFormat
from mentornet_contracts.events.matches import (
    Decider,
    MatchAccepted,
    MatchConfirmed,
    MatchDeclined,
    MatchProposed,
    ScoreContribution,
)
from mentornet_contracts.events.programs import ApprovalMode

from .documents import Match, MatchStatus
from .experiment_rules import ArmRule

OPEN = MatchStatus.PROPOSED
HOLDS_CAPACITY = (MatchStatus.PROPOSED, MatchStatus.CONFIRMED, MatchStatus.PAUSED)
PENDING = (MatchStatus.IN_REVIEW, MatchStatus.SHORTLISTED)
PLACED = (*HOLDS_CAPACITY, *PENDING)
"""A mentee with a match in one of these states is not placed again."""
FIRST_STATUS = {
    ApprovalMode.AUTO: MatchStatus.PROPOSED,
    ApprovalMode.COORDINATOR_REVIEW: MatchStatus.IN_REVIEW,
    ApprovalMode.MENTEE_SHORTLIST: MatchStatus.SHORTLISTED,
}


def is_failed_pair(match: Match) -> bool:
    """Declined, or ended because the pair did not work: never proposed again."""
    return bool(match["status"] == MatchStatus.DECLINED or match.get("failed"))


def decider(asking: frozenset[str], match: Match) -> Decider:
    """Who of a match is deciding, given the ids naming the caller (already admitted by
    the policy): its mentee, else its mentor, else its program's team."""
    if match["mentee_id"] in asking:
        return Decider.MENTEE
    if match["mentor_id"] in asking:
        return Decider.MENTOR
    return Decider.COORDINATOR


class Refused(Conflict):
    """A decision on a match that its state does not allow (HTTP 409); the body carries
    the match as it now is, under `match`, so a client can show what it ran into."""

    def __init__(self, field: str, reason: str, match: Match | None = None) -> None:
        super().__init__(field, reason, match=match)
        self.match = match


class MatchNotOpen(Refused):
    def __init__(self, match: Match) -> None:
        reason = f"match {match['match_id']} is {match['status']}, not open"
        super().__init__("match_id", reason, match)


def propose(
    match_id: str,
    program_id: str,
    mentee_id: str,
    mentor_id: str,
    score: float,
    explanation: tuple[ScoreContribution, ...],
    hours_per_month: float,
    status: MatchStatus = OPEN,
    proposed_at: str = "",
    signals: Mapping[str, float] | None = None,
    arm: ArmRule | None = None,
) -> tuple[Match, MatchProposed]:
    """`signals`: the pair's raw signal values; `arm`: the mentee's experiment arm rule
    the pair was scored with, if any."""
    event = MatchProposed(
        match_id=match_id,
        mentee_id=mentee_id,
        mentor_id=mentor_id,
        program_id=program_id,
        score=round(min(max(score, 0.0), 1.0), 6),
        explanation=explanation,
        signals=dict(signals or {}),
        experiment_id=arm.experiment_id if arm else None,
        arm_id=arm.arm_id if arm else None,
        rule_id=arm.rule.rule_id if arm else None,
        rule_version=arm.rule.version if arm else None,
    )
    state = {
        **event.model_dump(mode="json"),
        "status": status,
        "hours": hours_per_month,
        "proposed_at": proposed_at,
    }
    return cast(Match, state), event


def require(match: Match, *statuses: MatchStatus) -> None:
    if match["status"] not in statuses:
        raise MatchNotOpen(match)


def decline(match: Match, by: Decider, reason: str) -> tuple[Match, MatchDeclined]:
    """The mentee or mentor says no, or a coordinator rejects a proposal in review."""
    require(match, OPEN, MatchStatus.IN_REVIEW)
    event = MatchDeclined(
        match_id=match["match_id"], mentee_id=match["mentee_id"], by=by, reason=reason
    )
    declined: Match = {**match, "status": MatchStatus.DECLINED, "declined_by": str(by)}
    return {**declined, "reason": reason}, event


def approve(match: Match, by: Decider) -> tuple[Match, MatchAccepted]:
    """A coordinator approves a proposal in review, or the mentee picks an option; the
    proposal then goes to the mentor. The caller has reserved capacity first."""
    require(match, *PENDING)
    event = MatchAccepted(match_id=match["match_id"], mentee_id=match["mentee_id"], by=by)
    return {**match, "status": OPEN, "approved_by": str(by)}, event


def accept(
    match: Match, by: Decider, format: SessionFormat | None = None
) -> tuple[Match, MatchAccepted, MatchConfirmed]:
    """The mentor accepts: the match is confirmed, meeting in `format` (async for
    written check-ins, domain/formats.py; None for live sessions)."""
    require(match, OPEN)
    accepted = MatchAccepted(match_id=match["match_id"], mentee_id=match["mentee_id"], by=by)
    confirmed = MatchConfirmed(
        match_id=match["match_id"],
        mentee_id=match["mentee_id"],
        mentor_id=match["mentor_id"],
        program_id=match["program_id"],
        format=format,
    )
    state: Match = {**match, "status": MatchStatus.CONFIRMED}
    if format is not None:
        state["format"] = str(format)
    return state, accepted, confirmed


def record_fit(match: Match, by: Decider) -> Match:
    """Someone confirmed, after the first session, that the pair fits."""
    require(match, MatchStatus.CONFIRMED)
    return {**match, "fit_confirmed_by": sorted({*match.get("fit_confirmed_by", []), str(by)})}
