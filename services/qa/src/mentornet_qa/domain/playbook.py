"""Escalation cases: one playbook per program, one open case per match.

A trigger (missed sessions, no activity, a low or falling rubric, a risk flag, a
proposal left unaccepted, an inactive mentor, a QA review, sessions that could not
be booked) opens a case with the
playbook's first action for it, a severity, an owner and an SLA due time, or updates
the open case (never a second). When the SLA passes with the case still open, its
severity rises and the playbook moves to the next step: nudge, then coordinator
contact, then rematch (or pause, where the program's playbook says so; domain/pauses.py
ties the pause to the case).
`escalation.raised` goes out when a case opens and whenever its action or severity
changes; `escalation.resolved` when it closes.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Literal

from mentornet_chassis.errors import Conflict
from mentornet_contracts.events.qa import (
    EscalationAction,
    EscalationRaised,
    EscalationResolved,
    EscalationTrigger,
    Resolution,
    Severity,
)
from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from .documents import Case, CaseStatus, Match, TriggerSeen

SEVERITIES = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)
STEPS = (EscalationAction.NUDGE, EscalationAction.COORDINATOR_CONTACT, EscalationAction.REMATCH)
ORDER = {
    EscalationAction.NUDGE: 0,
    EscalationAction.COORDINATOR_CONTACT: 1,
    EscalationAction.REMATCH: 2,
    EscalationAction.PAUSE: 2,
}
TRIGGERS_KEPT = 50
"""Repeats of a trigger an open case keeps, newest last (`triggers_seen` counts all)."""
CLOSED_CASES_KEPT = 50
"""Closed cases a match keeps; `cases_opened` numbers cases and `cases_resolved` counts
them, so neither depends on what is kept."""


class Step(BaseModel):
    """What a trigger asks for first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: EscalationAction
    severity: Severity
    sla_hours: float = Field(gt=0, le=24 * 60)


EXAMPLE: JsonDict = {
    "steps": {
        "missed_sessions": {"action": "coordinator_contact", "severity": "high", "sla_hours": 48},
        "no_activity": {"action": "nudge", "severity": "medium", "sla_hours": 72},
        "risk_flag": {"action": "coordinator_contact", "severity": "critical", "sla_hours": 24},
    },
    "final": "pause",
}


class Playbook(BaseModel):
    """The body of PUT /programs/{id}/playbook: a first step for each trigger, and what
    the last step is when nudging and contacting have not helped."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"examples": [EXAMPLE]}
    )

    steps: dict[EscalationTrigger, Step]
    final: Literal["rematch", "pause"] = "rematch"


DEFAULT = Playbook(
    steps={
        EscalationTrigger.MISSED_SESSIONS: Step(
            action=EscalationAction.REMATCH, severity=Severity.HIGH, sla_hours=48
        ),
        EscalationTrigger.NO_ACTIVITY: Step(
            action=EscalationAction.NUDGE, severity=Severity.MEDIUM, sla_hours=72
        ),
        EscalationTrigger.LOW_RUBRIC: Step(
            action=EscalationAction.COORDINATOR_CONTACT, severity=Severity.MEDIUM, sla_hours=72
        ),
        EscalationTrigger.RISK_FLAG: Step(
            action=EscalationAction.COORDINATOR_CONTACT, severity=Severity.HIGH, sla_hours=24
        ),
        EscalationTrigger.PROPOSAL_TIMEOUT: Step(
            action=EscalationAction.NUDGE, severity=Severity.LOW, sla_hours=72
        ),
        EscalationTrigger.QA_REVIEW: Step(
            action=EscalationAction.COORDINATOR_CONTACT, severity=Severity.MEDIUM, sla_hours=72
        ),
        EscalationTrigger.MANUAL: Step(
            action=EscalationAction.COORDINATOR_CONTACT, severity=Severity.MEDIUM, sla_hours=72
        ),
        EscalationTrigger.BOOKING_FAILED: Step(
            action=EscalationAction.COORDINATOR_CONTACT, severity=Severity.MEDIUM, sla_hours=72
        ),
    }
)


def step_for(playbook: Playbook, trigger: EscalationTrigger) -> Step:
    return playbook.steps.get(trigger) or DEFAULT.steps[trigger]


def _rank(severity: Severity | str) -> int:
    return SEVERITIES.index(Severity(severity))


def _next_action(action: str, final: str) -> EscalationAction:
    """The next step of the ladder; the final step stays where it is."""
    ladder = (*STEPS[:2], EscalationAction(final))
    current = EscalationAction(action)
    if current not in ladder or current == ladder[-1]:
        return current
    return ladder[ladder.index(current) + 1]


def case_id(match_id: str, number: int) -> str:
    return "esc-" + hashlib.sha256(f"{match_id}|{number}".encode()).hexdigest()[:16]


def _raised(match: Match, case: Case) -> EscalationRaised:
    return EscalationRaised(
        case_id=case["case_id"],
        match_id=match["match_id"],
        trigger=case["trigger"],
        severity=case["severity"],
        action=case["action"],
        owner_id=case["owner_id"],
        due_at=datetime.fromisoformat(case["due_at"]),
    )


def trigger(
    match: Match,
    what: EscalationTrigger,
    detail: str,
    now: datetime,
    playbook: Playbook,
    owner: str,
    severity: Severity | None = None,
) -> tuple[Match, list[EscalationRaised]]:
    step = step_for(playbook, what)
    wanted = severity or step.severity
    seen = TriggerSeen(trigger=what, detail=detail, at=now.isoformat())
    case = match.get("case")
    if case is None:
        number = match.get("cases_opened", len(match.get("closed_cases", []))) + 1
        case = Case(
            case_id=case_id(match["match_id"], number),
            trigger=what,
            triggers=[seen],
            severity=wanted,
            action=step.action,
            owner_id=owner,
            opened_at=now.isoformat(),
            due_at=(now + timedelta(hours=step.sla_hours)).isoformat(),
            status=CaseStatus.OPEN,
        )
        return {**match, "case": case, "cases_opened": number}, [_raised(match, case)]
    updated: Case = {
        **case,
        "triggers": [*case["triggers"], seen][-TRIGGERS_KEPT:],
        "triggers_seen": case.get("triggers_seen", len(case["triggers"])) + 1,
    }
    if _rank(wanted) > _rank(case["severity"]):
        updated["severity"] = wanted
    if ORDER[step.action] > ORDER[EscalationAction(case["action"])]:
        updated["action"] = step.action
    changed = (updated["severity"], updated["action"]) != (case["severity"], case["action"])
    return {**match, "case": updated}, [_raised(match, updated)] if changed else []


def breach(match: Match, now: datetime, playbook: Playbook) -> tuple[Match, list[EscalationRaised]]:
    """The SLA passed: severity up one, the next step of the playbook, a new due time.
    At the top of the ladder (critical, last step) there is nothing left to raise: the
    case stays open and overdue for its owner, and is not announced again."""
    case = match.get("case")
    if case is None or case.get("exhausted") or now < datetime.fromisoformat(case["due_at"]):
        return match, []
    severity = _one_up(case["severity"])
    action = _next_action(case["action"], playbook.final)
    if (severity, action) == (case["severity"], case["action"]):
        return {**match, "case": {**case, "exhausted": True}}, []
    escalated: Case = {
        **case,
        "severity": severity,
        "action": action,
        "due_at": sla_due(case, now, playbook),
        "breaches": case.get("breaches", 0) + 1,
    }
    return {**match, "case": escalated}, [_raised(match, escalated)]


def _one_up(severity: Severity | str) -> Severity:
    return SEVERITIES[min(len(SEVERITIES) - 1, _rank(severity) + 1)]


def sla_due(case: Case, now: datetime, playbook: Playbook) -> str:
    """The case's trigger's SLA, counted from `now`."""
    hours = step_for(playbook, EscalationTrigger(case["trigger"])).sla_hours
    return (now + timedelta(hours=hours)).isoformat()


def overdue(match: Match, now: datetime, playbook: Playbook) -> tuple[Match, EscalationRaised]:
    """The open case is overdue for something the ladder does not decide (a match that
    should have resumed): one severity up (critical stays critical), the same step and
    owner, its trigger's SLA from now for a coordinator to look; announced."""
    case = match["case"]
    assert case is not None
    raised: Case = {
        **case,
        "severity": _one_up(case["severity"]),
        "due_at": sla_due(case, now, playbook),
        "breaches": case.get("breaches", 0) + 1,
    }
    return {**match, "case": raised}, _raised(match, raised)


def resolve(
    match: Match, resolution: Resolution, now: datetime, by: str, note: str = ""
) -> tuple[Match, EscalationResolved]:
    case = match.get("case")
    if case is None:
        closed_cases = match.get("closed_cases")
        last = closed_cases[-1] if closed_cases else None
        raise Conflict("state", "there is no open case on this match", current=last)
    closed: Case = {
        **case,
        "status": CaseStatus.RESOLVED,
        "resolution": resolution,
        "resolved_at": now.isoformat(),
        "resolved_by": by,
        "note": note,
    }
    closed_cases = [*match.get("closed_cases", []), closed]
    state: Match = {
        **match,
        "case": None,
        "closed_cases": closed_cases[-CLOSED_CASES_KEPT:],
        "cases_resolved": match.get("cases_resolved", len(closed_cases) - 1) + 1,
    }
    return state, EscalationResolved(
        case_id=case["case_id"], match_id=match["match_id"], resolution=resolution
    )


def claim(match: Match, coordinator: str) -> Match:
    case = match.get("case")
    if case is None:
        raise Conflict("state", "there is no open case on this match")
    return {**match, "case": {**case, "owner_id": coordinator}}
