"""An experiment's life, pure: refusals naming the field, assignment once per mentee
with the arm's rule, the stop at the sample or the time limit, arms frozen once anyone
is assigned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mentornet_chassis.errors import Conflict, Invalid
from mentornet_contracts.events.experiments import (
    ExperimentArmAssigned,
    ExperimentDefined,
    ExperimentStopped,
    StopReason,
)
from mentornet_contracts.events.programs import OutcomeMeasure
from mentornet_matcher.domain import arm_assignment, experiment_rules, experiments
from mentornet_matcher.domain.experiments import ExperimentStatus

pytestmark = pytest.mark.unit

START = datetime(2027, 1, 4, 9, tzinfo=UTC)


def arms(*weights: dict[str, float]) -> list[dict[str, Any]]:
    return [
        {"arm_id": f"arm{n}", "rule": {"rule_id": f"rule{n}", "version": 1, "weights": w}}
        for n, w in enumerate(weights)
    ]


def defined(min_sample: int = 5, max_weeks: int = 4, seed: int = 11) -> ExperimentDefined:
    return ExperimentDefined(
        experiment_id="exp-1",
        program_id="prog-1",
        name="Skills first",
        arms=experiment_rules.checked_arms(arms({"skills": 1}, {"timezone": 1}), "arm0"),
        control_arm_id="arm0",
        primary_outcome="skill_growth",
        stop_rule={"min_sample_per_arm": min_sample, "max_weeks": max_weeks},
        seed=seed,
        defined_by="coord-1",
        starts_at=START,
    )


def mentees(n: int, segment: str | None = None) -> list[tuple[str, str | None]]:
    return [(f"p-{k:03d}", segment) for k in range(n)]


def test_an_unknown_signal_is_refused_naming_its_field_path() -> None:
    with pytest.raises(Invalid) as refused:
        experiment_rules.checked_arms(arms({"skills": 1}, {"skills": 1, "charisma": 2}), "arm0")
    assert refused.value.field == "arms[1].rule.weights.charisma"
    assert "charisma" in refused.value.reason


def test_duplicate_arm_ids_and_a_control_that_is_no_arm_are_refused() -> None:
    twice = arms({"skills": 1}, {"skills": 1})
    twice[1]["arm_id"] = "arm0"
    with pytest.raises(Invalid) as duplicate:
        experiment_rules.checked_arms(twice, "arm0")
    assert duplicate.value.field == "arms[1].arm_id"
    with pytest.raises(Invalid) as control:
        experiment_rules.checked_arms(arms({"skills": 1}, {"style": 1}), "z")
    assert control.value.field == "control_arm_id"


def test_a_primary_outcome_the_program_does_not_collect_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        experiment_rules.check_outcome(OutcomeMeasure.SKILL_GROWTH, ["satisfaction", "retention"])
    assert refused.value.field == "primary_outcome"
    assert "satisfaction, retention" in refused.value.reason
    experiment_rules.check_outcome(OutcomeMeasure.SKILL_GROWTH, None)
    experiment_rules.check_outcome(OutcomeMeasure.RETENTION, ["retention"])


def arms_of(claims: list[experiments.Claim]) -> dict[str, str]:
    return {c["mentee_id"]: c["arm_id"] for c in claims}


def test_each_mentee_is_assigned_once_with_the_arm_rule() -> None:
    state = experiments.define(defined(min_sample=50))
    state, events, claims = arm_assignment.assign(state, mentees(4, "new-manager"), START)
    assert [type(e) for e in events] == [ExperimentArmAssigned] * 4
    first = events[0]
    assert isinstance(first, ExperimentArmAssigned)
    assert first.stratum == "new-manager"
    assert first.rule_id == {"arm0": "rule0", "arm1": "rule1"}[first.arm_id]
    again, repeated, reclaimed = arm_assignment.assign(state, mentees(4, "new-manager"), START)
    assert repeated == []
    assert reclaimed == claims
    assert again["arm_counts"] == state["arm_counts"]
    held = arm_assignment.recorded(state, claims)
    rules = experiment_rules.arm_rules([state], held)
    assert rules["p-000"].arm_id == arms_of(claims)["p-000"]
    assert rules["p-000"].rule.rule_id == {"arm0": "rule0", "arm1": "rule1"}[rules["p-000"].arm_id]


def test_the_same_seed_and_arrival_order_give_the_same_arms() -> None:
    _, _, one = arm_assignment.assign(experiments.define(defined(50)), mentees(20), START)
    _, _, two = arm_assignment.assign(experiments.define(defined(50)), mentees(20), START)
    _, _, other = arm_assignment.assign(
        experiments.define(defined(50, seed=12)), mentees(20), START
    )
    assert arms_of(one) == arms_of(two)
    assert arms_of(one) != arms_of(other)


def test_one_at_a_time_gives_the_arms_of_one_write() -> None:
    """Slots come from the counts: arriving one write each gives the same arms."""
    state = experiments.define(defined(50))
    _, _, together = arm_assignment.assign(state, mentees(9, "x"), START)
    singly = []
    for mentee in mentees(9, "x"):
        state, _, [claim] = arm_assignment.assign(state, [mentee], START)
        singly.append(claim)
    assert singly == together
    assert state["strata"]["x"] == {"arm0": 5, "arm1": 4} or state["strata"]["x"] == {
        "arm0": 4,
        "arm1": 5,
    }


def test_the_document_keeps_counts_and_only_the_latest_claims() -> None:
    many = [(f"p-{k:06d}", None) for k in range(experiments.CLAIMS_KEPT + 300)]
    state, events, claims = arm_assignment.assign(experiments.define(defined(100_000)), many, START)
    assert len(events) == len(claims) == len(many)
    assert len(state["claims"]) == experiments.CLAIMS_KEPT
    assert sum(state["arm_counts"].values()) == len(many)
    assert "assigned" not in state


def test_erasure_takes_the_mentee_out_of_the_latest_claims_and_keeps_the_counts() -> None:
    state, _, _ = arm_assignment.assign(experiments.define(defined(50)), mentees(3), START)
    forgotten = arm_assignment.forget(state, "p-001")
    assert forgotten is not None
    assert [c["mentee_id"] for c in forgotten["claims"]] == ["p-000", "p-002"]
    assert forgotten["arm_counts"] == state["arm_counts"]
    assert arm_assignment.forget(forgotten, "p-001") is None
    _, events, [_claim] = arm_assignment.assign(forgotten, [("p-001", None)], START)
    assert len(events) == 1, "an erased mentee registering again is a new mentee"


def test_assignment_stops_once_every_arm_has_its_sample() -> None:
    state, events, _ = arm_assignment.assign(experiments.define(defined(5)), mentees(12), START)
    assigned = [e for e in events if isinstance(e, ExperimentArmAssigned)]
    [stopped] = [e for e in events if isinstance(e, ExperimentStopped)]
    assert len(assigned) == 10
    assert stopped.reason == "sample_reached"
    assert {c.arm_id: c.mentees for c in stopped.assigned} == {"arm0": 5, "arm1": 5}
    assert state["status"] == ExperimentStatus.STOPPED
    assert state["due_epoch"] is None
    later, none, claims = arm_assignment.assign(state, [("p-new", None)], START)
    assert none == []
    assert claims == []
    assert later["arm_counts"] == {"arm0": 5, "arm1": 5}


def test_the_time_limit_stops_assignment_by_timer_or_at_the_next_mentee() -> None:
    state = experiments.define(defined(max_weeks=4))
    assert state["due_epoch"] == (START + timedelta(weeks=4)).timestamp()
    late = START + timedelta(weeks=4, seconds=1)
    stopped, events, claims = arm_assignment.assign(state, mentees(1), late)
    assert [type(e) for e in events] == [ExperimentStopped]
    assert stopped["stop_reason"] == "time_limit"
    assert claims == []
    assert sum(stopped["arm_counts"].values()) == 0
    timed, fired = experiments.due(state, late)
    assert timed["status"] == ExperimentStatus.STOPPED
    assert len(fired) == 1


def test_arms_change_while_nobody_is_assigned_and_not_after() -> None:
    state = experiments.define(defined())
    new_arms = experiment_rules.checked_arms(arms({"skills": 1}, {"style": 1}, {"pace": 1}), "arm2")
    changed, event = experiments.redefine(state, new_arms, "arm2")
    assert event.control_arm_id == "arm2"
    assert len(event.arms) == 3
    assert changed["arm_counts"] == {"arm0": 0, "arm1": 0, "arm2": 0}
    assigned, _, _ = arm_assignment.assign(changed, mentees(3), START)
    with pytest.raises(Conflict) as refused:
        experiments.redefine(assigned, new_arms, "arm0")
    counts = {c["arm_id"]: c["mentees"] for c in refused.value.state["assigned"]}
    assert counts == {"arm0": 1, "arm1": 1, "arm2": 1}


def test_a_coordinator_stop_reports_the_counts() -> None:
    state, _, _ = arm_assignment.assign(experiments.define(defined(50)), mentees(3), START)
    stopped, [event] = experiments.stop(state, StopReason.COORDINATOR, START)
    assert isinstance(event, ExperimentStopped)
    assert event.reason == "coordinator"
    assert sum(c.mentees for c in event.assigned) == 3
    assert experiments.stop(stopped, StopReason.COORDINATOR, START) == (stopped, [])
    summary = experiments.summary(stopped)
    assert summary["status"] == "stopped"
    assert sum(summary["assigned_per_stratum"]["unspecified"].values()) == 3
