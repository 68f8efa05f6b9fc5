"""A match on hold. The matcher owns the pause (match.paused / match.resumed); QA keeps
it on its view of the match, opens no stall case while it lasts, and ties it to the
case whose pause step asked for it.

- A case reaches its pause step (the program's playbook ends in `pause`): QA announces
  escalation.raised with action `pause`, and the matcher pauses the match naming the
  case (`case_id`). From then on the case waits for the match to resume
  (`awaiting_resume`): its SLA ladder stops, and it is due again at `resume_by`.
- A case whose pause step comes while the match is already on hold (a coordinator
  paused it) waits for the resume in the same way: the pause it asks for is there.
- When the match resumes, that case is resolved `back_on_track` by the system: the
  pause was the playbook's last step and the scheduler re-plans the series; if the
  pair stalls again, a new case opens. Other open cases (a risk flag, say) stay open.
- Stalls (missed sessions, no activity) reported while the match is on hold, and
  before its `resume_by`, open no case: they are counted on the match only.
"""

from __future__ import annotations

from datetime import datetime

from mentornet_contracts.events.matches import MatchPaused, MatchResumed
from mentornet_contracts.events.qa import (
    EscalationAction,
    EscalationRaised,
    EscalationResolved,
    Resolution,
)

from . import matches, playbook
from .documents import Match, MatchStatus, Pause
from .program import Program

Step = tuple[Match | None, list[EscalationRaised | EscalationResolved]]
FINISHED = (MatchStatus.ENDED, MatchStatus.DECLINED)


def paused_now(match: Match) -> bool:
    """On hold, as far as QA has heard (an ended match is not on hold)."""
    return bool(match.get("paused")) and match["status"] not in FINISHED


def holding(match: Match, now: datetime) -> bool:
    """On hold at `now`: paused, and not past the time it resumes on its own."""
    pause = match.get("paused")
    return (
        pause is not None and paused_now(match) and now < datetime.fromisoformat(pause["resume_by"])
    )


def adopt(match: Match) -> Match:
    """The open case waits for the resume if the pause is its doing (the pause names
    it) or its step is a pause the match already has."""
    case, pause = match.get("case"), match.get("paused")
    if case is None or pause is None or case.get("awaiting_resume") or not paused_now(match):
        return match
    if pause["case_id"] != case["case_id"] and case["action"] != EscalationAction.PAUSE:
        return match
    return {
        **match,
        "case": {**case, "awaiting_resume": True, "due_at": pause["resume_by"]},
    }


def paused(state: Match | None, event: MatchPaused, program: Program | None, now: datetime) -> Step:
    match = matches.base(state, event.match_id)
    pause = Pause(
        by=str(event.by),
        reason=event.reason,
        paused_at=event.paused_at.isoformat(),
        resume_by=event.resume_by.isoformat(),
        case_id=event.case_id,
    )
    held: Match = {
        **match,
        "program_id": match["program_id"] or event.program_id,
        "mentor_id": match["mentor_id"] or event.mentor_id,
        "mentee_id": match["mentee_id"] or event.mentee_id,
        "paused": pause,
        "pauses": match.get("pauses", 0) + 1,
    }
    return adopt(held), []


def resumed(
    state: Match | None, event: MatchResumed, program: Program | None, now: datetime
) -> Step:
    match: Match = {**matches.base(state, event.match_id), "paused": None}
    case = match.get("case")
    if case is None or not case.get("awaiting_resume"):
        return match, []
    note = f"the match resumed ({event.by}) after the pause this case asked for"
    closed, resolved = playbook.resolve(match, Resolution.BACK_ON_TRACK, now, "system", note)
    return closed, [resolved]
