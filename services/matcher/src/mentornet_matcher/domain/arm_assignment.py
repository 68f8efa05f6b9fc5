"""Assigning mentees to an experiment's arms (domain/experiments.py holds the
experiment): each mentee's claim is the next slot of their stratum's permuted blocks
(randomisation.Slots), taken in the experiment's conditional write with its
experiment.arm.assigned; the claim then becomes the mentee's assignment document.
Pure: the caller gives `now`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TypedDict

from mentornet_contracts import Event
from mentornet_contracts.events.experiments import (
    ExperimentArmAssigned,
    ExperimentDefined,
    StopReason,
)

from .documents import Match
from .experiments import (
    CLAIMS_KEPT,
    Claim,
    Experiment,
    ExperimentStatus,
    definition,
    stop,
    time_is_up,
)
from .randomisation import Slots

Assigned = tuple[Experiment, list[Event], list[Claim]]


def assign(state: Experiment, mentees: Sequence[tuple[str, str | None]], now: datetime) -> Assigned:
    """Assign each (mentee id, segment), in the order given, while the experiment runs:
    the new state, its events, and each mentee's claim (one taken by an earlier write
    is given again, without an event). Stops it at its time limit or once every arm
    has its sample."""
    if state["status"] == ExperimentStatus.RUNNING and time_is_up(state, now):
        return (*stop(state, StopReason.TIME_LIMIT, now), [])
    defined = definition(state)
    slots = _slots(state, defined)
    sample = defined.stop_rule.min_sample_per_arm
    again, new = _claims(state, slots, mentees, sample)
    changed = _counted(state, slots, new)
    events: list[Event] = [_announced(defined, claim) for claim in new]
    if state["status"] == ExperimentStatus.RUNNING and slots.filled(sample):
        changed, stopped = stop(changed, StopReason.SAMPLE_REACHED, now)
        events.extend(stopped)
    return changed, events, [*again, *new]


def _claims(
    state: Experiment, slots: Slots, mentees: Sequence[tuple[str, str | None]], sample: int
) -> tuple[list[Claim], list[Claim]]:
    """The claims found again among the latest, and the new ones taken while the
    experiment runs and some arm still lacks its sample."""
    taken = {claim["mentee_id"]: claim for claim in state["claims"]}
    running = state["status"] == ExperimentStatus.RUNNING and not slots.filled(sample)
    again, new = [], []
    for mentee_id, segment in mentees:
        if mentee_id in taken:
            again.append(taken[mentee_id])
        elif running:
            arm_id, stratum = slots.take(segment)
            new.append(Claim(mentee_id=mentee_id, arm_id=arm_id, stratum=stratum))
            running = not slots.filled(sample)
    return again, new


def _slots(state: Experiment, defined: ExperimentDefined) -> Slots:
    return Slots(
        defined.seed,
        tuple(arm.arm_id for arm in defined.arms),
        dict(state["arm_counts"]),
        {k: dict(v) for k, v in state["strata"].items()},
    )


def _counted(state: Experiment, slots: Slots, new: list[Claim]) -> Experiment:
    claims = [*state["claims"], *new][-CLAIMS_KEPT:]
    return {**state, "arm_counts": slots.arm_counts, "strata": slots.strata, "claims": claims}


def _announced(defined: ExperimentDefined, claim: Claim) -> ExperimentArmAssigned:
    rule = next(arm.rule for arm in defined.arms if arm.arm_id == claim["arm_id"])
    return ExperimentArmAssigned(
        experiment_id=defined.experiment_id,
        program_id=defined.program_id,
        mentee_id=claim["mentee_id"],
        arm_id=claim["arm_id"],
        stratum=claim["stratum"],
        rule_id=rule.rule_id,
        rule_version=rule.version,
    )


def forget(state: Experiment | None, mentee_id: str) -> Experiment | None:
    """Erasure: the mentee leaves the latest claims (the counts stay); None when they
    are not among them."""
    if state is None or all(c["mentee_id"] != mentee_id for c in state["claims"]):
        return None
    return {**state, "claims": [c for c in state["claims"] if c["mentee_id"] != mentee_id]}


class ArmAssignment(TypedDict):
    """One mentee's arm in one experiment (store/experiment_book.py: one document each,
    unique on program, experiment and mentee)."""

    program_id: str
    experiment_id: str
    mentee_id: str
    arm_id: str
    stratum: str
    starts_at: str
    """The experiment's start: of two experiments, the later one's arm counts."""


def recorded(state: Experiment, claims: Sequence[Claim]) -> list[ArmAssignment]:
    """The assignment documents of the claims."""
    starts = str(state["definition"]["starts_at"])
    return [
        ArmAssignment(
            program_id=state["program_id"],
            experiment_id=state["experiment_id"],
            mentee_id=c["mentee_id"],
            arm_id=c["arm_id"],
            stratum=c["stratum"],
            starts_at=starts,
        )
        for c in claims
    ]


def matched_before(history: Iterable[Match], program_id: str, starts_at: str) -> set[str]:
    """Mentees with a match in the program proposed before the experiment started:
    they keep the program's weights when placed again (only the mentees waiting at the
    start and those registering while it runs are assigned)."""
    start = datetime.fromisoformat(starts_at)
    return {
        m["mentee_id"] for m in history if m["program_id"] == program_id and _proposed(m) < start
    }


def _proposed(match: Match) -> datetime:
    """When the match was proposed (a match without the time: long ago)."""
    when = match.get("proposed_at") or "0001-01-01T00:00:00+00:00"
    return datetime.fromisoformat(when)
