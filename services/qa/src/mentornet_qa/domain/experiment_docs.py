"""The documents QA keeps about matching experiments, typed: an experiment (its latest
definition, and its stop once assignment stopped) and each mentee's arm."""

from __future__ import annotations

from enum import StrEnum
from typing import NotRequired, TypedDict


class ExperimentStatus(StrEnum):
    RUNNING = "running"
    """Assigning mentees to arms."""
    STOPPED = "stopped"
    """Assignment stopped (experiment.stopped); outcomes keep arriving."""


class ArmCountDoc(TypedDict):
    arm_id: str
    mentees: int


class Stop(TypedDict):
    reason: str
    at: str
    assigned: list[ArmCountDoc]


class ArmDoc(TypedDict):
    arm_id: str
    rule: dict[str, object]
    """The arm's MatchingRule as its model dumps it."""


class Experiment(TypedDict):
    """One experiment of a program, as experiment.defined last described it."""

    experiment_id: str
    program_id: str
    name: str
    arms: list[ArmDoc]
    control_arm_id: str
    primary_outcome: str
    min_sample_per_arm: int
    max_weeks: int
    seed: int
    max_group_gap: float | None
    defined_by: str
    starts_at: str
    status: ExperimentStatus
    definitions: int
    """How many definitions were received (a redefinition before assignment counts)."""
    stopped: NotRequired[Stop]


class Assignment(TypedDict):
    """A mentee's arm in one experiment (experiment.arm.assigned). Not the stratum: the
    analysis does not need the mentee's segment here."""

    experiment_id: str
    program_id: str
    mentee_id: str
    arm_id: str
    rule_id: str
    rule_version: int
    assigned_at: str
    erased: NotRequired[bool]
    """The mentee was erased: the arm no longer counts them (participant.erased)."""
