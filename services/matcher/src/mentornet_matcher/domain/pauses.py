"""Pausing and resuming a confirmed match: pure rules.

    confirmed -> paused (a coordinator at once; QA's pause step; both people of the
                 match, once the second has asked) -> confirmed (resumed by the
                 program's team, by the pair once both have asked if the pair paused
                 it, or by the schedule at `resume_by`)

A pause by a coordinator or by QA is the program's team's to end: a participant asking
to resume it is refused (409 naming `pause`). The pair's requests lapse after 7 days
and can be withdrawn (domain/pause_requests.py).

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

from .documents import Match, MatchStatus, Pause, PauseRequest, ResumeRequest
from .matches import Refused
from .pause_requests import PARTIES, fresh, missing

TEAM_ONLY = {str(PauseActor.COORDINATOR): "the coordinator", str(PauseActor.QA): "QA"}
"""Pauses only the program's team may end early, and how a refusal names who paused."""


class MatchNotActive(Refused):
    def __init__(self, match: Match) -> None:
        reason = f"match {match['match_id']} is {match['status']}, not active"
        super().__init__("match_id", reason, match)


class MatchNotPaused(Refused):
    def __init__(self, match: Match) -> None:
        reason = f"match {match['match_id']} is {match['status']}, not paused"
        super().__init__("match_id", reason, match)


class TeamResumes(Refused):
    def __init__(self, match: Match, by: str) -> None:
        reason = f"paused by {TEAM_ONLY.get(by, by)}: only the program's team can resume it"
        super().__init__("pause", reason, match)


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
    state.pop("resume_requests", None)
    state["due_epoch"] = resume_by.timestamp()
    return state, event


def request(
    match: Match, role: Decider, reason: str, weeks: int, now: datetime
) -> tuple[Match, MatchPaused | None]:
    """One person of the match asks to pause. Recorded until the other asks too; then
    the match pauses (by=participants) for the shorter of the two pauses asked for,
    with both reasons. Requests older than 7 days do not count (and are dropped)."""
    _require_active(match)
    asked: PauseRequest = {"weeks": weeks, "reason": reason, "at": now.isoformat()}
    requests = {**fresh(match.get("pause_requests", {}), now), str(role): asked}
    if missing(requests):
        return {**match, "pause_requests": requests}, None
    shortest = min(asked["weeks"] for asked in requests.values())
    both = "; ".join(f"{party}: {requests[party]['reason']}" for party in PARTIES)
    return pause(match, PauseActor.PARTICIPANTS, both, shortest, now)


def ask_resume(match: Match, asking: Decider, now: datetime) -> tuple[Match, MatchResumed | None]:
    """The program's team ends any pause at once. A pause the pair took ends early
    once both of them have asked (by=participants); the first request is recorded. A
    pause by a coordinator or QA is refused to the pair (409 naming `pause`)."""
    paused = _require_paused(match)
    if asking == Decider.COORDINATOR:
        return resume(match, PauseActor.COORDINATOR, now)
    if paused["by"] != PauseActor.PARTICIPANTS:
        raise TeamResumes(match, paused["by"])
    asked: ResumeRequest = {"at": now.isoformat()}
    requests = {**fresh(match.get("resume_requests", {}), now), str(asking): asked}
    if missing(requests):
        return {**match, "resume_requests": requests}, None
    return resume(match, PauseActor.PARTICIPANTS, now)


def _require_paused(match: Match) -> Pause:
    if match["status"] != MatchStatus.PAUSED or "pause" not in match:
        raise MatchNotPaused(match)
    return match["pause"]


def resume(match: Match, by: PauseActor, now: datetime) -> tuple[Match, MatchResumed]:
    """The pause is over: the match is confirmed again."""
    _require_paused(match)
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
    state.pop("resume_requests", None)
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
