"""A program's matching experiment: its definition, who is in which arm, and when it
stops assigning (contracts events/experiments.py).

Pure functions from (state, command) to (new state, events). Mentees are assigned
(arm_assignment.py) by stratified permuted blocks (randomisation.py); the experiment
keeps the counts, each mentee's arm is a document of its own (store/experiment_book.py),
kept for good: a mentee matched again later (a decline, a rematch) is matched with the
same arm's rule, even once the experiment stopped assigning. Assignment stops when every arm has
`min_sample_per_arm` mentees, when `max_weeks` have passed (the next assignment or
the timer notices, via `due_epoch`), or when a coordinator stops it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NotRequired, TypedDict

from mentornet_chassis.errors import Conflict
from mentornet_contracts import Event
from mentornet_contracts.events.experiments import (
    ArmCount,
    ExperimentArm,
    ExperimentDefined,
    ExperimentStopped,
    StopReason,
)


class ExperimentStatus(StrEnum):
    RUNNING = "running"
    STOPPED = "stopped"


class Claim(TypedDict):
    """One mentee's arm, as the write that counted it took it."""

    mentee_id: str
    arm_id: str
    stratum: str


CLAIMS_KEPT = 2_000
"""The latest assignments the experiment document remembers (the chassis inbox's
idea): its assignment document is written just after (store/experiment_book.py); a
redelivery after a crash between the two finds the arm here, so no slot is taken
twice."""


class Experiment(TypedDict):
    """An experiment as the matcher keeps it (the `experiments` collection, keyed by
    `key(program_id, experiment_id)`): counts only, never the mentees' arms (one
    assignment document each)."""

    experiment_id: str
    program_id: str
    definition: dict[str, Any]
    """ExperimentDefined as JSON, as last (re)defined."""
    status: ExperimentStatus
    arm_counts: dict[str, int]
    strata: dict[str, dict[str, int]]
    """Stratum to mentees per arm (its next position is their sum)."""
    claims: list[Claim]
    """The latest CLAIMS_KEPT assignments (erasure removes a mentee's)."""
    due_epoch: float | None
    """When the time limit stops assignment (the chassis timers read it)."""
    stop_reason: NotRequired[str]
    stopped_at: NotRequired[str]


def key(program_id: str, experiment_id: str) -> str:
    """An experiment's document id: experiment ids are the program's own."""
    return f"{program_id}/{experiment_id}"


def define(event: ExperimentDefined) -> Experiment:
    ends = event.starts_at + timedelta(weeks=event.stop_rule.max_weeks)
    return {
        "experiment_id": event.experiment_id,
        "program_id": event.program_id,
        "definition": event.model_dump(mode="json"),
        "status": ExperimentStatus.RUNNING,
        "arm_counts": {arm.arm_id: 0 for arm in event.arms},
        "strata": {},
        "claims": [],
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
    assigned = sum(state["arm_counts"].values())
    if assigned or state["status"] != ExperimentStatus.RUNNING:
        raise Conflict(
            "arms",
            f"experiment {state['experiment_id']} is {state['status']} with "
            f"{assigned} mentees assigned: its arms can no longer change",
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


def time_is_up(state: Experiment, now: datetime) -> bool:
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
