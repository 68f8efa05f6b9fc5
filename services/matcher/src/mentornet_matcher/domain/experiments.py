"""A program's matching experiment: its definition, who is in which arm, and when it
stops assigning (contracts events/experiments.py).

Pure functions from (state, command) to (new state, events). Mentees are assigned by
stratified permuted blocks (randomisation.py); an assignment is kept for good, so a
mentee matched again later (a decline, a rematch) is matched with the same arm's rule,
even once the experiment stopped assigning. Assignment stops when every arm has
`min_sample_per_arm` mentees, when `max_weeks` have passed (the next assignment or
the timer notices, via `due_epoch`), or when a coordinator stops it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NotRequired, TypedDict

from mentornet_chassis.errors import Conflict
from mentornet_contracts import Event
from mentornet_contracts.events.experiments import (
    ArmCount,
    ExperimentArm,
    ExperimentArmAssigned,
    ExperimentDefined,
    ExperimentStopped,
    StopReason,
)

from .randomisation import arm_at, stratum_of


class ExperimentStatus(StrEnum):
    RUNNING = "running"
    STOPPED = "stopped"


class Assignment(TypedDict):
    arm_id: str
    stratum: str


class Experiment(TypedDict):
    """An experiment as the matcher keeps it (the `experiments` collection)."""

    experiment_id: str
    program_id: str
    definition: dict[str, Any]
    """ExperimentDefined as JSON, as last (re)defined."""
    status: ExperimentStatus
    assigned: dict[str, Assignment]
    """Mentee id to their arm and stratum."""
    arm_counts: dict[str, int]
    strata: dict[str, dict[str, int]]
    """Stratum to mentees per arm (its next position is their sum)."""
    due_epoch: float | None
    """When the time limit stops assignment (the chassis timers read it)."""
    stop_reason: NotRequired[str]
    stopped_at: NotRequired[str]


def define(event: ExperimentDefined) -> Experiment:
    ends = event.starts_at + timedelta(weeks=event.stop_rule.max_weeks)
    return {
        "experiment_id": event.experiment_id,
        "program_id": event.program_id,
        "definition": event.model_dump(mode="json"),
        "status": ExperimentStatus.RUNNING,
        "assigned": {},
        "arm_counts": {arm.arm_id: 0 for arm in event.arms},
        "strata": {},
        "due_epoch": ends.timestamp(),
    }


def definition(state: Experiment) -> ExperimentDefined:
    return ExperimentDefined.model_validate(state["definition"])


def counts(state: Experiment) -> tuple[ArmCount, ...]:
    return tuple(ArmCount(arm_id=a, mentees=n) for a, n in state["arm_counts"].items())


def redefine(
    state: Experiment, arms: tuple[ExperimentArm, ...], control_arm_id: str
) -> tuple[Experiment, ExperimentDefined]:
    """New arms while nobody is assigned; Conflict with the counts once anyone is."""
    if state["assigned"] or state["status"] != ExperimentStatus.RUNNING:
        raise Conflict(
            "arms",
            f"experiment {state['experiment_id']} is {state['status']} with "
            f"{len(state['assigned'])} mentees assigned: its arms can no longer change",
            assigned=[c.model_dump() for c in counts(state)],
        )
    event = definition(state).model_copy(update={"arms": arms, "control_arm_id": control_arm_id})
    event = ExperimentDefined.model_validate(event.model_dump())
    return {**define(event), "due_epoch": state["due_epoch"]}, event


def stop(state: Experiment, reason: StopReason, now: datetime) -> tuple[Experiment, list[Event]]:
    """Assignment stops (nothing happens to an experiment already stopped)."""
    if state["status"] != ExperimentStatus.RUNNING:
        return state, []
    stopped: Experiment = {
        **state,
        "status": ExperimentStatus.STOPPED,
        "stop_reason": str(reason),
        "stopped_at": now.isoformat(),
        "due_epoch": None,
    }
    event = ExperimentStopped(
        experiment_id=state["experiment_id"],
        program_id=state["program_id"],
        reason=reason,
        assigned=counts(state),
    )
    return stopped, [event]


def due(state: Experiment, now: datetime) -> tuple[Experiment, list[Event]]:
    """The timer's work: the time limit has passed."""
    return stop(state, StopReason.TIME_LIMIT, now)


def assign(
    state: Experiment, mentees: Sequence[tuple[str, str | None]], now: datetime
) -> tuple[Experiment, list[Event]]:
    """Assign each (mentee id, segment) not yet assigned, in the order given, while the
    experiment runs; stops it at its time limit or once every arm has its sample."""
    events: list[Event] = []
    if state["status"] == ExperimentStatus.RUNNING and _time_is_up(state, now):
        return stop(state, StopReason.TIME_LIMIT, now)
    defined = definition(state)
    arm_ids = [arm.arm_id for arm in defined.arms]
    rules = {arm.arm_id: arm.rule for arm in defined.arms}
    assigned, arm_counts = dict(state["assigned"]), dict(state["arm_counts"])
    strata = {k: dict(v) for k, v in state["strata"].items()}
    running = state["status"] == ExperimentStatus.RUNNING
    for mentee_id, segment in mentees:
        if not running or mentee_id in assigned:
            continue
        stratum = stratum_of(segment)
        in_stratum = strata.setdefault(stratum, {})
        arm_id = arm_at(defined.seed, stratum, sum(in_stratum.values()), arm_ids)
        in_stratum[arm_id] = in_stratum.get(arm_id, 0) + 1
        arm_counts[arm_id] = arm_counts.get(arm_id, 0) + 1
        assigned[mentee_id] = {"arm_id": arm_id, "stratum": stratum}
        events.append(
            ExperimentArmAssigned(
                experiment_id=state["experiment_id"],
                program_id=state["program_id"],
                mentee_id=mentee_id,
                arm_id=arm_id,
                stratum=stratum,
                rule_id=rules[arm_id].rule_id,
                rule_version=rules[arm_id].version,
            )
        )
        running = min(arm_counts.values()) < defined.stop_rule.min_sample_per_arm
    changed: Experiment = {
        **state,
        "assigned": assigned,
        "arm_counts": arm_counts,
        "strata": strata,
    }
    if not running and state["status"] == ExperimentStatus.RUNNING:
        changed, stopped = stop(changed, StopReason.SAMPLE_REACHED, now)
        events.extend(stopped)
    return changed, events


def _time_is_up(state: Experiment, now: datetime) -> bool:
    until = state.get("due_epoch")
    return until is not None and now.timestamp() >= until


def summary(state: Experiment) -> dict[str, Any]:
    """What GET .../experiments/{experiment_id} answers."""
    return {
        **state["definition"],
        "status": state["status"],
        "stop_reason": state.get("stop_reason"),
        "stopped_at": state.get("stopped_at"),
        "assigned": [c.model_dump() for c in counts(state)],
        "assigned_per_stratum": {k: dict(v) for k, v in sorted(state["strata"].items())},
    }
