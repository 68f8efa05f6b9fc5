"""A match on hold: no stall case while it lasts; a playbook that ends in `pause` asks
for one (escalation.raised, action pause), the case waits while the match is paused
and is resolved back_on_track when its schedule or a coordinator resumes it (the pair
resuming leaves it open on its SLA); a case whose match does not resume by resume_by
rises once; health and case answers show the pause."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from mentornet_contracts.events.feedback import RiskFlag, RiskFlagged, RiskSource
from mentornet_contracts.events.matches import (
    MatchConfirmed,
    MatchPaused,
    MatchResumed,
    PauseActor,
)
from mentornet_contracts.events.qa import (
    EscalationAction,
    EscalationRaised,
    EscalationResolved,
    Resolution,
    Severity,
)
from mentornet_contracts.events.sessions import MatchStalled, StallReason
from mentornet_qa.domain import cases, documents, health, pauses, triggers
from mentornet_qa.domain.documents import Case, Match
from mentornet_qa.domain.program import Program

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
IDS = {"match_id": "m-1", "mentee_id": "e-1", "mentor_id": "r-1", "program_id": "p-1"}
WEEKS = timedelta(weeks=4)


def program(final: str = "pause") -> Program:
    return Program(
        {
            "program_id": "p-1",
            "name": "Engineering",
            "coordinator_ids": ["coord-1"],
            "qa": {"playbook": {"steps": {}, "final": final}},
        }
    )


def confirmed() -> Match:
    state, _ = triggers.confirmed(None, MatchConfirmed(**IDS), program(), NOW)
    assert state is not None
    return state


def pause(at: datetime, by: PauseActor, case_id: str | None = None) -> MatchPaused:
    return MatchPaused(
        **IDS,
        by=by,
        reason="mentee on a product launch",
        paused_at=at,
        resume_by=at + WEEKS,
        case_id=case_id,
    )


def resume(at: datetime, by: PauseActor = PauseActor.SCHEDULE) -> MatchResumed:
    return MatchResumed(**IDS, by=by, resumed_at=at)


def stall(reason: StallReason = StallReason.NO_ACTIVITY) -> MatchStalled:
    return MatchStalled(match_id="m-1", reason=reason, detail="no session in 3 weeks")


def held(state: Match | None) -> Match:
    assert state is not None
    return state


def case_of(match: Match | None) -> Case:
    case = held(match)["case"]
    assert case is not None
    return case


def test_a_paused_match_opens_no_stall_case_until_it_resumes() -> None:
    first, none = pauses.paused(confirmed(), pause(NOW, PauseActor.COORDINATOR), program(), NOW)
    assert none == []
    paused = held(first)
    for reason in StallReason:
        quiet, nothing = triggers.stalled(paused, stall(reason), program(), NOW + timedelta(days=7))
        assert nothing == []
        assert held(quiet)["case"] is None
        paused = held(quiet)
    assert paused.get("stalls_while_paused") == 2
    _overdue, [late] = triggers.stalled(paused, stall(), program(), NOW + WEEKS)
    assert isinstance(late, EscalationRaised), "past resume_by the pause no longer holds"
    resumed, _ = pauses.resumed(paused, resume(NOW + WEEKS), program(), NOW + WEEKS)
    _after, [raised] = triggers.stalled(resumed, stall(), program(), NOW + WEEKS)
    assert isinstance(raised, EscalationRaised)
    assert raised.trigger == "no_activity"


def test_the_pause_step_asks_for_a_pause_waits_for_the_resume_and_closes_back_on_track() -> None:
    state, [opened] = triggers.stalled(confirmed(), stall(), program(), NOW)
    assert isinstance(opened, EscalationRaised)
    assert opened.action == EscalationAction.NUDGE
    at = NOW + timedelta(hours=73)
    state, [contact] = triggers.due(held(state), at, program())
    assert isinstance(contact, EscalationRaised)
    assert contact.action == EscalationAction.COORDINATOR_CONTACT
    at += timedelta(hours=73)
    state, [asked] = triggers.due(held(state), at, program())
    assert isinstance(asked, EscalationRaised)
    assert (asked.action, asked.case_id) == (EscalationAction.PAUSE, opened.case_id)
    paused, none = pauses.paused(state, pause(at, PauseActor.QA, opened.case_id), program(), at)
    assert none == []
    case = case_of(paused)
    assert case["awaiting_resume"] is True
    assert case["due_at"] == (at + WEEKS).isoformat()
    waiting, quiet = triggers.due(held(paused), at + timedelta(days=10), program())
    assert quiet == [], "the ladder stops while the match is paused"
    assert case_of(waiting)["action"] == EscalationAction.PAUSE
    back, [resolved] = pauses.resumed(waiting, resume(at + WEEKS), program(), at + WEEKS)
    assert isinstance(resolved, EscalationResolved)
    assert (resolved.case_id, resolved.resolution) == (opened.case_id, Resolution.BACK_ON_TRACK)
    done = held(back)
    assert done["case"] is None
    assert done["closed_cases"][-1]["resolved_by"] == "system"
    assert done["paused"] is None


def test_a_coordinators_pause_leaves_an_unrelated_case_open_through_the_resume() -> None:
    flag = RiskFlagged(match_id="m-1", flag=RiskFlag.CONFLICT, source=RiskSource.REPORT)
    state, [raised] = triggers.risk(confirmed(), flag, program(), NOW)
    assert isinstance(raised, EscalationRaised)
    paused, _ = pauses.paused(state, pause(NOW, PauseActor.COORDINATOR), program(), NOW)
    assert not case_of(paused).get("awaiting_resume")
    back, none = pauses.resumed(paused, resume(NOW + WEEKS), program(), NOW + WEEKS)
    assert none == []
    assert case_of(back)["case_id"] == raised.case_id


def test_a_pause_step_on_a_match_already_paused_waits_then_stays_open_after_it() -> None:
    paused, _ = pauses.paused(confirmed(), pause(NOW, PauseActor.COORDINATOR), program(), NOW)
    flag = RiskFlagged(match_id="m-1", flag=RiskFlag.DISENGAGED, source=RiskSource.REPORT)
    state, _ = triggers.risk(paused, flag, program(), NOW)
    assert case_of(state)["action"] == EscalationAction.COORDINATOR_CONTACT
    assert not case_of(state).get("awaiting_resume")
    state, [asked] = triggers.due(held(state), NOW + timedelta(hours=73), program())
    assert isinstance(asked, EscalationRaised)
    assert asked.action == EscalationAction.PAUSE
    assert case_of(state)["awaiting_resume"] is True
    back, none = pauses.resumed(state, resume(NOW + WEEKS), program(), NOW + WEEKS)
    assert none == [], "the coordinator's pause was not this case's: the case stays open"
    case = case_of(back)
    assert not case.get("awaiting_resume")
    assert case["due_at"] == (NOW + WEEKS + timedelta(hours=24)).isoformat(), "its SLA again"


def test_health_and_case_answers_show_the_matches_paused_now() -> None:
    paused, _ = pauses.paused(confirmed(), pause(NOW, PauseActor.PARTICIPANTS), program(), NOW)
    flag = RiskFlagged(match_id="m-1", flag=RiskFlag.OFF_TRACK, source=RiskSource.REPORT)
    with_case, _ = triggers.risk(paused, flag, program(), NOW)
    resumed, _ = pauses.resumed(paused, resume(NOW + WEEKS), program(), NOW + WEEKS)
    assert health.scheduling([held(with_case), held(resumed), confirmed()])["paused_matches"] == 1
    [listed] = cases.listed([held(with_case)], "open")
    assert listed["match_paused"] is True
    pause_record = held(paused)["paused"]
    assert pause_record is not None
    assert (pause_record["by"], pause_record["resume_by"]) == (
        "participants",
        (NOW + WEEKS).isoformat(),
    )


def paused_by_its_case(at: datetime = NOW) -> tuple[Match, str]:
    """A risk case (coordinator contact, medium) whose SLA passed: its pause step
    (high) paused the match naming the case."""
    flag = RiskFlagged(match_id="m-1", flag=RiskFlag.DISENGAGED, source=RiskSource.REPORT)
    state, [opened] = triggers.risk(confirmed(), flag, program(), at)
    assert isinstance(opened, EscalationRaised)
    asked_at = at + timedelta(hours=73)
    state, [asked] = triggers.due(held(state), asked_at, program())
    assert isinstance(asked, EscalationRaised)
    assert (asked.action, asked.severity) == (EscalationAction.PAUSE, Severity.HIGH)
    paused, _ = pauses.paused(state, pause(asked_at, PauseActor.QA, opened.case_id), program(), at)
    assert case_of(paused)["awaiting_resume"] is True
    return held(paused), opened.case_id


RESUME_BY = NOW + timedelta(hours=73) + WEEKS


@pytest.mark.parametrize("by", [PauseActor.SCHEDULE, PauseActor.COORDINATOR])
def test_its_own_pause_ended_by_the_schedule_or_a_coordinator_closes_the_case(
    by: PauseActor,
) -> None:
    paused, case_id = paused_by_its_case()
    at = RESUME_BY if by == PauseActor.SCHEDULE else NOW + timedelta(days=10)
    back, [resolved] = pauses.resumed(paused, resume(at, by), program(), at)
    assert isinstance(resolved, EscalationResolved)
    assert (resolved.case_id, resolved.resolution) == (case_id, Resolution.BACK_ON_TRACK)
    assert held(back)["case"] is None


def test_the_pair_resuming_leaves_the_case_open_on_its_sla_from_the_resume() -> None:
    paused, case_id = paused_by_its_case()
    at = NOW + timedelta(days=10)
    back, none = pauses.resumed(paused, resume(at, PauseActor.PARTICIPANTS), program(), at)
    assert none == []
    case = case_of(back)
    assert case["case_id"] == case_id
    assert not case.get("awaiting_resume")
    assert case["due_at"] == (at + timedelta(hours=24)).isoformat(), "risk_flag's SLA"
    assert (case["action"], case["severity"]) == (EscalationAction.PAUSE, Severity.HIGH)
    assert held(back)["paused"] is None
    assert triggers.next_due(held(back)) == (at + timedelta(hours=24)).timestamp()


def test_a_match_not_resumed_by_resume_by_raises_its_case_one_severity_once() -> None:
    paused, case_id = paused_by_its_case()
    owner = case_of(paused)["owner_id"]
    assert triggers.next_due(paused) == (RESUME_BY + pauses.RESUME_GRACE).timestamp()
    on_time, none = triggers.due(paused, RESUME_BY, program())
    assert none == [], "the matcher's own resume at resume_by comes first"
    late = RESUME_BY + pauses.RESUME_GRACE
    overdue, [raised] = triggers.due(on_time, late, program())
    assert isinstance(raised, EscalationRaised)
    assert (raised.case_id, raised.severity, raised.action, raised.owner_id) == (
        case_id,
        Severity.CRITICAL,
        EscalationAction.PAUSE,
        owner,
    )
    assert raised.due_at == late + timedelta(hours=24)
    case = case_of(overdue)
    assert (case["status"], case["awaiting_resume"]) == ("open", True)
    assert overdue["due_epoch"] is None
    again, nothing = triggers.due(overdue, late + timedelta(days=3), program())
    assert nothing == [], "announced once"
    _back, [resolved] = pauses.resumed(again, resume(late), program(), late + timedelta(days=3))
    assert isinstance(resolved, EscalationResolved)


def test_one_definition_of_a_finished_match_serves_pauses_bookings_and_cases() -> None:
    """FINISHED (a match ended or declined) is set once, in documents.py, and read by
    pauses, unplaced dates and cases alike."""
    domain = Path(documents.__file__).parent
    defined = [
        module.name
        for module in sorted(domain.glob("*.py"))
        for node in ast.parse(module.read_text()).body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "FINISHED" for t in node.targets)
    ]
    assert defined == ["documents.py"]
    assert documents.FINISHED == (documents.MatchStatus.ENDED, documents.MatchStatus.DECLINED)
