"""Pure steps on QA's view of a match, for the subscribers and the timers: keep the
view, and open, update, escalate or close the match's case as the facts demand."""

from __future__ import annotations

from datetime import datetime

from mentornet_contracts.events.feedback import (
    FeedbackSubmitted,
    RiskFlag,
    RiskFlagged,
    RiskSource,
)
from mentornet_contracts.events.matches import (
    EndCause,
    MatchConfirmed,
    MatchDeclined,
    MatchEnded,
    MatchProposed,
)
from mentornet_contracts.events.qa import (
    EscalationAction,
    EscalationRaised,
    EscalationResolved,
    EscalationTrigger,
    Resolution,
    Severity,
)
from mentornet_contracts.events.sessions import MatchStalled, SessionCompleted, StallReason

from . import matches, pauses, playbook
from .documents import FINISHED, WAITING, Match
from .program import Program, playbook_of

Announced = EscalationRaised | EscalationResolved
Step = tuple[Match | None, list[Announced]]
Changed = tuple[Match, list[Announced]]
SERIOUS = (RiskFlag.WELLBEING_CONCERN, RiskFlag.CONFLICT)


def _owner(program: Program | None, state: Match) -> str:
    if program is not None:
        return program.owner(state["match_id"])
    return f"coordinators:{state.get('program_id') or 'unknown'}"[:64]


def raise_case(
    state: Match,
    what: EscalationTrigger,
    detail: str,
    program: Program | None,
    now: datetime,
    severity: Severity | None = None,
) -> Changed:
    """A match that has ended or was declined has nothing left to escalate."""
    if state.get("status") in FINISHED:
        return state, []
    raised, events = playbook.trigger(
        state, what, detail, now, playbook_of(program), _owner(program, state), severity
    )
    return pauses.adopt(raised), [*events]


def proposed(
    state: Match | None, event: MatchProposed, program: Program | None, now: datetime
) -> Step:
    days = program.accept_days if program is not None else 7
    return matches.on_proposed(state, event, now, days), []


def confirmed(
    state: Match | None, event: MatchConfirmed, program: Program | None, now: datetime
) -> Step:
    """A confirmation answers a case about a proposal left waiting."""
    match = matches.on_confirmed(state, event, now)
    case = match.get("case")
    if case is not None and case["trigger"] == EscalationTrigger.PROPOSAL_TIMEOUT:
        closed, resolved = playbook.resolve(
            match, Resolution.BACK_ON_TRACK, now, "system", "the proposal was accepted"
        )
        return closed, [resolved]
    return match, []


def declined(
    state: Match | None, event: MatchDeclined, program: Program | None, now: datetime
) -> Step:
    match = matches.on_declined(state, event)
    if match.get("case") is None:
        return match, []
    closed, resolved = playbook.resolve(
        match, Resolution.ENDED, now, "system", "the proposal was declined"
    )
    return closed, [resolved]


def ended(state: Match | None, event: MatchEnded, program: Program | None, now: datetime) -> Step:
    """A match ended by a rematch its case asked for keeps the case open until the
    mentee's new match is confirmed; any other end closes it."""
    match = matches.on_ended(state, event, now)
    case = match.get("case")
    if case is None:
        return match, []
    if event.cause == EndCause.ESCALATION and case["action"] == EscalationAction.REMATCH:
        return {**match, "case": {**case, "awaiting_new_match": True}}, []
    closed, resolved = playbook.resolve(
        match, Resolution.ENDED, now, "system", f"match ended: {event.reason}"
    )
    return closed, [resolved]


def completed(
    state: Match | None, event: SessionCompleted, program: Program | None, now: datetime
) -> Step:
    return matches.on_session_completed(state, event, now), []


def stalled(
    state: Match | None, event: MatchStalled, program: Program | None, now: datetime
) -> Step:
    """A match on hold does not stall (domain/pauses.py): the stall is only counted."""
    match = matches.base(state, event.match_id)
    if pauses.holding(match, now):
        return {**match, "stalls_while_paused": match.get("stalls_while_paused", 0) + 1}, []
    what = (
        EscalationTrigger.MISSED_SESSIONS
        if event.reason == StallReason.MISSED_SESSIONS
        else EscalationTrigger.NO_ACTIVITY
    )
    return raise_case(match, what, event.detail or str(event.reason), program, now)


def feedback(
    state: Match | None, event: FeedbackSubmitted, program: Program | None, now: datetime
) -> Step:
    match = matches.on_feedback(state, event)
    if match is None:
        return None, []
    going_down = matches.falling(matches.mentee_rubric(match))
    if going_down and not match.get("falling_flagged"):
        flagged: Match = {**match, "falling_flagged": True}
        return raise_case(
            flagged,
            EscalationTrigger.LOW_RUBRIC,
            "the mentee's rubric scores keep falling",
            program,
            now,
        )
    return {**match, "falling_flagged": going_down and bool(match.get("falling_flagged"))}, []


def risk(state: Match | None, event: RiskFlagged, program: Program | None, now: datetime) -> Step:
    match = matches.base(state, event.match_id)
    if event.source == RiskSource.RUBRIC:
        detail = f"rubric average {event.rubric_average} is below the program's threshold"
        return raise_case(match, EscalationTrigger.LOW_RUBRIC, detail, program, now)
    severity = Severity.HIGH if event.flag in SERIOUS else Severity.MEDIUM
    detail = f"the mentor's report flags {event.flag}"
    return raise_case(match, EscalationTrigger.RISK_FLAG, detail, program, now, severity)


def _waiting(state: Match) -> bool:
    return state["status"] in WAITING and not state.get("accepted")


def due(state: Match, now: datetime, program: Program | None) -> Changed:
    """What time sets off: a proposal left unaccepted, a case past its SLA."""
    events: list[Announced] = []
    waiting = _waiting(state)
    accept_by = state.get("accept_by")
    if (
        waiting
        and accept_by
        and not state.get("timed_out")
        and now >= datetime.fromisoformat(accept_by)
    ):
        state, raised = raise_case(
            {**state, "timed_out": True},
            EscalationTrigger.PROPOSAL_TIMEOUT,
            "the proposal was not accepted in time",
            program,
            now,
        )
        events += raised
    case = state.get("case")
    if case is not None and case.get("awaiting_resume"):
        state, overdue = pauses.overdue(state, now, program)
        return {**state, "due_epoch": next_due(state)}, [*events, *overdue]
    if case is not None and case.get("awaiting_new_match"):
        if now >= datetime.fromisoformat(case["due_at"]):
            state = {**state, "case": {**case, "exhausted": True}}
        return {**state, "due_epoch": next_due(state)}, events
    breached, escalated = playbook.breach(state, now, playbook_of(program))
    breached = pauses.adopt(breached)
    events += escalated
    return {**breached, "due_epoch": next_due(breached)}, events


def next_due(state: Match) -> float | None:
    times = []
    case = state.get("case")
    if case is not None and case.get("awaiting_resume"):
        if not case.get("resume_overdue"):
            times.append(pauses.overdue_at(case))
    elif case is not None and not case.get("exhausted"):
        times.append(datetime.fromisoformat(case["due_at"]))
    accept_by = state.get("accept_by")
    if _waiting(state) and accept_by and not state.get("timed_out"):
        times.append(datetime.fromisoformat(accept_by))
    return min(times).timestamp() if times else None
