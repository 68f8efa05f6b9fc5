"""One case per match, escalating on its SLA; the fairness audit suppresses small
groups and flags disparities beyond the configured ratio."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from mentornet_chassis.errors import Conflict
from mentornet_contracts.events.qa import EscalationAction, EscalationTrigger, Resolution, Severity
from mentornet_qa.domain import fairness, playbook, recognition
from mentornet_qa.domain.documents import Impact, Match

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def match() -> Match:
    return cast(Match, {"match_id": "m-1", "case": None, "closed_cases": []})


def test_a_repeated_trigger_updates_the_open_case_never_a_second() -> None:
    state, [raised] = playbook.trigger(
        match(), EscalationTrigger.NO_ACTIVITY, "quiet", NOW, playbook.DEFAULT, "coord-1"
    )
    assert (raised.action, raised.severity, raised.owner_id) == (
        EscalationAction.NUDGE,
        Severity.MEDIUM,
        "coord-1",
    )
    again, events = playbook.trigger(
        state, EscalationTrigger.NO_ACTIVITY, "still quiet", NOW, playbook.DEFAULT, "coord-1"
    )
    assert events == []
    case = again["case"]
    assert case is not None
    assert case["case_id"] == raised.case_id
    assert len(case["triggers"]) == 2
    _worse, [update] = playbook.trigger(
        again, EscalationTrigger.MISSED_SESSIONS, "2 missed", NOW, playbook.DEFAULT, "coord-1"
    )
    assert update.case_id == raised.case_id
    assert (update.action, update.severity) == (EscalationAction.REMATCH, Severity.HIGH)


def test_an_sla_breach_raises_the_severity_and_takes_the_next_step() -> None:
    state, _ = playbook.trigger(
        match(), EscalationTrigger.NO_ACTIVITY, "quiet", NOW, playbook.DEFAULT, "c"
    )
    early, none = playbook.breach(state, NOW + timedelta(hours=71), playbook.DEFAULT)
    assert none == []
    late, [raised] = playbook.breach(early, NOW + timedelta(hours=73), playbook.DEFAULT)
    assert (raised.severity, raised.action) == (Severity.HIGH, EscalationAction.COORDINATOR_CONTACT)
    _later, [again] = playbook.breach(late, NOW + timedelta(hours=150), playbook.DEFAULT)
    assert (again.severity, again.action) == (Severity.CRITICAL, EscalationAction.REMATCH)
    pause = playbook.Playbook(steps={}, final="pause")
    _paused, [step] = playbook.breach(late, NOW + timedelta(hours=150), pause)
    assert step.action == EscalationAction.PAUSE


def test_resolving_closes_the_case_and_a_second_resolve_is_a_conflict() -> None:
    state, [raised] = playbook.trigger(
        match(), EscalationTrigger.RISK_FLAG, "flag", NOW, playbook.DEFAULT, "c"
    )
    closed, resolved = playbook.resolve(state, Resolution.BACK_ON_TRACK, NOW, "coord-1")
    assert resolved.case_id == raised.case_id
    with pytest.raises(Conflict):
        playbook.resolve(closed, Resolution.DISMISSED, NOW, "coord-1")
    _reopened, [fresh] = playbook.trigger(
        closed, EscalationTrigger.RISK_FLAG, "again", NOW, playbook.DEFAULT, "c"
    )
    assert fresh.case_id != raised.case_id


def people(group: str, n: int, matched: int, score: float = 0.8) -> list[fairness.Outcome]:
    return [
        fairness.Outcome(
            groups={"region": group},
            matched=i < matched,
            days_to_match=5.0 if i < matched else None,
            match_score=score if i < matched else None,
        )
        for i in range(n)
    ]


def test_a_group_of_four_is_suppressed_and_a_configured_disparity_is_flagged() -> None:
    outcomes = people("emea", 10, 9) + people("amer", 10, 6) + people("apac", 4, 1)
    [region] = fairness.audit(outcomes, min_group=5, min_ratio=0.8)
    by_group = {g["group"]: g for g in region.groups}
    assert by_group["apac"] == {"group": "apac", "suppressed": True, "people": "fewer than 5"}
    assert by_group["emea"]["match_rate"] == 0.9
    assert by_group["amer"]["match_rate"] == 0.6
    assert [(d.metric, d.group, d.ratio) for d in region.disparities] == [
        ("match_rate", "amer", 0.6667)
    ]
    assert (by_group["emea"]["people"], by_group["amer"]["people"]) == ("10-24", "10-24")
    [lenient] = fairness.audit(outcomes, min_group=5, min_ratio=0.6)
    assert lenient.disparities == []


def test_lower_is_better_metrics_compare_the_other_way() -> None:
    slow = [
        fairness.Outcome(groups={"g": "slow"}, matched=True, days_to_match=20.0) for _ in range(5)
    ]
    fast = [
        fairness.Outcome(groups={"g": "fast"}, matched=True, days_to_match=10.0) for _ in range(5)
    ]
    [audit] = fairness.audit(slow + fast)
    assert [(d.metric, d.group, d.ratio) for d in audit.disparities] == [
        ("days_to_match", "slow", 0.5)
    ]


def test_a_group_with_no_rematches_does_not_make_every_other_group_a_disparity() -> None:
    def group(name: str, rematched: int) -> list[fairness.Outcome]:
        return [
            fairness.Outcome(groups={"g": name}, matched=True, rematched=i < rematched)
            for i in range(10)
        ]

    [few] = fairness.audit(group("none", 0) + group("one", 1))
    assert [d for d in few.disparities if d.metric == "rematch_rate"] == []
    [many] = fairness.audit(group("none", 0) + group("half", 5))
    assert [(d.metric, d.group, d.ratio) for d in many.disparities] == [
        ("rematch_rate", "half", 0.5)
    ]


def test_awards_are_earned_once() -> None:
    figures = Impact(
        mentor_id="r-1", matches=1, sessions_delivered=12, goals_reached=3, rubric_average=4.2
    )
    earned = recognition.earned(figures, recognition.DEFAULT_AWARDS, [])
    assert [t.award for t in earned] == ["ten-sessions", "goals-reached"]
    assert (
        recognition.earned(figures, recognition.DEFAULT_AWARDS, ["ten-sessions", "goals-reached"])
        == []
    )
    lukewarm: Impact = {**figures, "rubric_average": 3.1}
    assert [t.award for t in recognition.earned(lukewarm, recognition.DEFAULT_AWARDS, [])] == [
        "ten-sessions"
    ]


def test_a_case_keeps_its_newest_triggers_and_a_match_its_newest_closed_cases() -> None:
    state: Any = match()
    for n in range(playbook.TRIGGERS_KEPT + 5):
        state, _ = playbook.trigger(
            state, EscalationTrigger.MANUAL, f"t{n}", NOW, playbook.DEFAULT, "coord-1"
        )
    case = state["case"]
    assert len(case["triggers"]) == playbook.TRIGGERS_KEPT
    assert case["triggers"][-1]["detail"] == f"t{playbook.TRIGGERS_KEPT + 4}"
    assert case["triggers_seen"] == playbook.TRIGGERS_KEPT + 5
    ids = set()
    for n in range(playbook.CLOSED_CASES_KEPT + 3):
        if n:
            state, _ = playbook.trigger(
                state, EscalationTrigger.MANUAL, "again", NOW, playbook.DEFAULT, "coord-1"
            )
        ids.add(state["case"]["case_id"])
        state, _ = playbook.resolve(state, Resolution.DISMISSED, NOW, "coord-1")
    assert len(ids) == playbook.CLOSED_CASES_KEPT + 3, "a case id was used twice"
    assert len(state["closed_cases"]) == playbook.CLOSED_CASES_KEPT
    assert state["cases_resolved"] == playbook.CLOSED_CASES_KEPT + 3
