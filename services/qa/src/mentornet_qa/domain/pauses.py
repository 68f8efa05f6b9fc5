"""A match on hold. The matcher owns the pause (match.paused / match.resumed); QA keeps
it on its view of the match, opens no stall case while it lasts, and ties it to the
case whose pause step asked for it.

- A case reaches its pause step (the program's playbook ends in `pause`): QA announces
  escalation.raised with action `pause`, and the matcher pauses the match naming the
  case (`case_id`). From then on the case waits for the match to resume
  (`awaiting_resume`): its SLA ladder stops, and it is due again at `resume_by`.
- A case whose pause step comes while the match is already on hold (a coordinator
  paused it) waits for the resume in the same way: the pause it asks for is there.
- When the match resumes by its schedule or by a coordinator, and the pause was the
  case's own (the pause names the case), the case is resolved `back_on_track` by the
  system: the pause was the playbook's last step and the scheduler re-plans the
  series; if the pair stalls again, a new case opens. Any other resume (the pair
  asked for it, or the pause was not the case's) leaves the case open: it stops
  waiting and is due again its trigger's SLA from the resume. Other open cases (a
  risk flag, say) stay as they were.
- A case still waiting when `resume_by` has passed (by `RESUME_GRACE`, so the
  matcher's own resume comes first) with no match.resumed is overdue: it rises one
  severity, keeps its owner and step, and is announced once (escalation.raised) so a
  coordinator looks; it still waits for the resume.
- Stalls (missed sessions, no activity) reported while the match is on hold, and
  before its `resume_by`, open no case: they are counted on the match only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mentornet_contracts.events.matches import MatchPaused, MatchResumed, PauseActor
from mentornet_contracts.events.qa import (
    EscalationAction,
    EscalationRaised,
    EscalationResolved,
    Resolution,
)

from . import matches, playbook
from .documents import FINISHED, Case, Match, Pause
from .program import Program, playbook_of

Step = tuple[Match | None, list[EscalationRaised | EscalationResolved]]
ENDS_THE_STEP = (PauseActor.SCHEDULE, PauseActor.COORDINATOR)
"""Resumes that close the case whose pause step it was: the pause ran its course, or a
coordinator ended it. The pair resuming on their own does not."""
RESUME_GRACE = timedelta(hours=1)
"""How long after `resume_by` a case waiting for the resume is overdue: the matcher
resumes the match itself at `resume_by`, and its match.resumed takes a moment."""


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
    before = matches.base(state, event.match_id)
    match: Match = {**before, "paused": None}
    case = match.get("case")
    if case is None or not case.get("awaiting_resume"):
        return match, []
    pause = before.get("paused")
    if pause is not None and pause["case_id"] == case["case_id"] and event.by in ENDS_THE_STEP:
        note = f"the match resumed ({event.by}) after the pause this case asked for"
        closed, resolved = playbook.resolve(match, Resolution.BACK_ON_TRACK, now, "system", note)
        return closed, [resolved]
    return {**match, "case": _waiting_no_more(case, now, program)}, []


def _waiting_no_more(case: Case, now: datetime, program: Program | None) -> Case:
    """The case's trigger's SLA again, from now; the ladder goes on from its step."""
    kept: Case = {**case, "due_at": playbook.sla_due(case, now, playbook_of(program))}
    for done in ("awaiting_resume", "resume_overdue", "exhausted"):
        kept.pop(done, None)  # type: ignore[misc]
    return kept


def overdue_at(case: Case) -> datetime:
    """When a case waiting for the resume (due at `resume_by`) is overdue."""
    return datetime.fromisoformat(case["due_at"]) + RESUME_GRACE


def overdue(
    match: Match, now: datetime, program: Program | None
) -> tuple[Match, list[EscalationRaised]]:
    """The match should have resumed and QA has not heard it: the case rises, once."""
    case = match.get("case")
    if (
        case is None
        or not case.get("awaiting_resume")
        or case.get("resume_overdue")
        or now < overdue_at(case)
    ):
        return match, []
    raised, event = playbook.overdue(match, now, playbook_of(program))
    flagged = raised["case"]
    assert flagged is not None
    return {**raised, "case": {**flagged, "resume_overdue": True}}, [event]
