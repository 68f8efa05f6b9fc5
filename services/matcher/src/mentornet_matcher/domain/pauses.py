"""Pausing and resuming a confirmed match: pure rules.

    confirmed -> paused (a coordinator at once; QA's pause step; both people of the
                 match, once the second has asked) -> confirmed (resumed by hand, or
                 by the schedule at `resume_by`)

A pause lasts 1 to the program's `max_pause_weeks` weeks. A match that is not
confirmed (proposed, ended, already paused) cannot be paused, and one that is not
paused cannot be resumed: both refusals are 409s carrying the match as it is. While
paused the match keeps its mentor's place and `due_epoch` holds its `resume_by`, for
the service's timer. Ids and `now` come from the callers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mentornet_chassis.errors import Invalid
from mentornet_contracts.events.matches import (
    MAX_PAUSE_REASON,
    Decider,
    MatchPaused,
    MatchResumed,
    PauseActor,
)

from .documents import Match, MatchStatus, Pause, PauseRequest
from .matches import Refused

PARTIES = (str(Decider.MENTEE), str(Decider.MENTOR))


class MatchNotActive(Refused):
    def __init__(self, match: Match) -> None:
        reason = f"match {match['match_id']} is {match['status']}, not active"
        super().__init__("match_id", reason, match)


class MatchNotPaused(Refused):
    def __init__(self, match: Match) -> None:
        reason = f"match {match['match_id']} is {match['status']}, not paused"
        super().__init__("match_id", reason, match)


def check_weeks(weeks: int, max_weeks: int) -> int:
    """1 to the program's longest pause, else a 422 naming `weeks`."""
    if not 1 <= weeks <= max_weeks:
        raise Invalid("weeks", f"a pause lasts 1 to {max_weeks} weeks in this program, not {weeks}")
    return weeks


def check_reason(reason: str) -> str:
    text = reason.strip()
    if not 1 <= len(text) <= MAX_PAUSE_REASON:
        raise Invalid("reason", f"a reason has 1 to {MAX_PAUSE_REASON} characters")
    return text


def _require_active(match: Match) -> None:
    if match["status"] != MatchStatus.CONFIRMED:
        raise MatchNotActive(match)


def pause(
    match: Match,
    by: PauseActor,
    reason: str,
    weeks: int,
    now: datetime,
    case_id: str | None = None,
) -> tuple[Match, MatchPaused]:
    """The match pauses now, until `weeks` from now at the latest."""
    _require_active(match)
    resume_by = now + timedelta(weeks=weeks)
    event = MatchPaused(
        match_id=match["match_id"],
        mentee_id=match["mentee_id"],
        mentor_id=match["mentor_id"],
        program_id=match["program_id"],
        by=by,
        reason=reason[:MAX_PAUSE_REASON],
        paused_at=now,
        resume_by=resume_by,
        case_id=case_id,
    )
    held: Pause = {
        "by": str(by),
        "reason": event.reason,
        "paused_at": now.isoformat(),
        "resume_by": resume_by.isoformat(),
    }
    if case_id is not None:
        held["case_id"] = case_id
    state: Match = {**match, "status": MatchStatus.PAUSED, "pause": held}
    state["pause_requests"] = {}
    state["due_epoch"] = resume_by.timestamp()
    return state, event


def request(
    match: Match, role: Decider, reason: str, weeks: int, now: datetime
) -> tuple[Match, MatchPaused | None]:
    """One person of the match asks to pause. Recorded until the other asks too; then
    the match pauses (by=participants) for the shorter of the two pauses asked for,
    with both reasons."""
    _require_active(match)
    asked: PauseRequest = {"weeks": weeks, "reason": reason, "at": now.isoformat()}
    requests = {**match.get("pause_requests", {}), str(role): asked}
    if any(party not in requests for party in PARTIES):
        return {**match, "pause_requests": requests}, None
    shortest = min(requests[party]["weeks"] for party in PARTIES)
    both = "; ".join(f"{party}: {requests[party]['reason']}" for party in PARTIES)
    return pause(match, PauseActor.PARTICIPANTS, both, shortest, now)


def waiting_for(match: Match) -> list[str]:
    """Who of the match has not asked yet, while a participants' request is open."""
    requests = match.get("pause_requests", {})
    if not requests or match["status"] != MatchStatus.CONFIRMED:
        return []
    return [party for party in PARTIES if party not in requests]


def resume(match: Match, by: PauseActor, now: datetime) -> tuple[Match, MatchResumed]:
    """The pause is over: the match is confirmed again."""
    if match["status"] != MatchStatus.PAUSED or "pause" not in match:
        raise MatchNotPaused(match)
    event = MatchResumed(
        match_id=match["match_id"],
        mentee_id=match["mentee_id"],
        mentor_id=match["mentor_id"],
        program_id=match["program_id"],
        by=by,
        resumed_at=now,
    )
    over: Pause = {**match["pause"], "resumed_at": now.isoformat(), "resumed_by": str(by)}
    state: Match = {**match, "status": MatchStatus.CONFIRMED, "due_epoch": None}
    state["pauses"] = [*match.get("pauses", []), over]
    del state["pause"]
    return state, event


def due(match: Match, now: datetime) -> tuple[Match, list[MatchResumed]]:
    """The timer: a pause whose `resume_by` has come resumes (by=schedule)."""
    paused = match.get("pause")
    if match["status"] != MatchStatus.PAUSED or paused is None:
        return {**match, "due_epoch": None}, []
    if now < datetime.fromisoformat(paused["resume_by"]):
        return match, []
    resumed, event = resume(match, PauseActor.SCHEDULE, now)
    return resumed, [event]


def qa_may_pause(match: Match, case_id: str) -> bool:
    """QA's pause step applies to an active match this case has not paused before."""
    taken = [*match.get("pauses", []), *([match["pause"]] if "pause" in match else [])]
    return match["status"] == MatchStatus.CONFIRMED and all(
        p.get("case_id") != case_id for p in taken
    )


def resumer(asking: Decider) -> PauseActor:
    """Who resumes a match by hand: its coordinator, or one of its people."""
    return PauseActor.COORDINATOR if asking == Decider.COORDINATOR else PauseActor.PARTICIPANTS
