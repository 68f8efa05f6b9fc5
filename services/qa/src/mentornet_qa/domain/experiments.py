"""Ingesting a matching experiment: the latest definition wins, a stop is kept with it,
and each mentee's arm is its own document. Every step is idempotent (replaying an event
leaves the same document)."""

from __future__ import annotations

from datetime import datetime

from mentornet_contracts.events.experiments import (
    ExperimentArmAssigned,
    ExperimentDefined,
    ExperimentStopped,
)

from .experiment_docs import ArmDoc, Assignment, Experiment, ExperimentStatus, Stop


def key(program_id: str, experiment_id: str) -> str:
    """An experiment's document id: its id within its program."""
    return f"{program_id}/{experiment_id}"


def on_defined(current: Experiment | None, event: ExperimentDefined) -> Experiment:
    arms = [ArmDoc(arm_id=arm.arm_id, rule=arm.rule.model_dump(mode="json")) for arm in event.arms]
    defined = Experiment(
        experiment_id=event.experiment_id,
        program_id=event.program_id,
        name=event.name,
        arms=arms,
        control_arm_id=event.control_arm_id,
        primary_outcome=event.primary_outcome.value,
        min_sample_per_arm=event.stop_rule.min_sample_per_arm,
        max_weeks=event.stop_rule.max_weeks,
        seed=event.seed,
        max_group_gap=event.max_group_gap,
        defined_by=event.defined_by,
        starts_at=event.starts_at.isoformat(),
        status=ExperimentStatus.RUNNING,
        definitions=(current["definitions"] if current else 0) + 1,
    )
    if current is not None and "stopped" in current:
        return {**defined, "status": ExperimentStatus.STOPPED, "stopped": current["stopped"]}
    return defined


def on_stopped(current: Experiment | None, event: ExperimentStopped, at: datetime) -> Experiment:
    """A stop keyed like its definition, so the definition is here first; one that is
    not (a replay from a later offset) is kept on an empty experiment until it comes."""
    stop = Stop(
        reason=event.reason.value,
        at=at.isoformat(),
        assigned=[{"arm_id": c.arm_id, "mentees": c.mentees} for c in event.assigned],
    )
    if current is None:
        return Experiment(  # the definition fills the rest when it arrives
            experiment_id=event.experiment_id,
            program_id=event.program_id,
            name="",
            arms=[],
            control_arm_id="",
            primary_outcome="",
            min_sample_per_arm=0,
            max_weeks=0,
            seed=0,
            max_group_gap=None,
            defined_by="",
            starts_at="",
            status=ExperimentStatus.STOPPED,
            definitions=0,
            stopped=stop,
        )
    return {**current, "status": ExperimentStatus.STOPPED, "stopped": stop}


def on_assigned(
    current: Assignment | None, event: ExperimentArmAssigned, at: datetime
) -> Assignment:
    if current is not None and (current["arm_id"] == event.arm_id or current.get("erased")):
        return current
    return Assignment(
        experiment_id=event.experiment_id,
        program_id=event.program_id,
        mentee_id=event.mentee_id,
        arm_id=event.arm_id,
        rule_id=event.rule_id,
        rule_version=event.rule_version,
        assigned_at=at.isoformat(),
    )


def defined(experiment: Experiment | None) -> Experiment | None:
    """The experiment once its definition arrived (not only its stop)."""
    return experiment if experiment and experiment["definitions"] > 0 else None


def on_erased(current: Assignment | None) -> Assignment | None:
    """The mentee was erased: their arm no longer counts them; a late replay of the
    assignment does not bring it back."""
    return {**current, "erased": True} if current is not None else None
