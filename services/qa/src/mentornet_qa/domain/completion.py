"""When an experiment's results are complete, and what the verdict says of its sample.

Complete when every arm has min_sample_per_arm values of the primary outcome, or when
assignment has stopped (experiment.stopped, for any reason) and every assigned mentee
either has a value or will not get one (their latest match ended without it: a
dropout). The matcher stops assigning at min_sample_per_arm ASSIGNED mentees, so
waiting for that many VALUES would wait forever once anyone drops out. A sample that
ends below the planned size (a time limit, dropouts) is analysed as it is, and the
verdict says so with the power it has to detect the effect the plan was sized for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from . import stats
from .experiment_docs import Experiment


@dataclass(frozen=True)
class Progress:
    """How far collection has come: mentees assigned per arm (erased ones left out),
    and how many of them still wait for a value (not matched yet, or matched and not
    ended without one)."""

    assigned: Mapping[str, int] = field(default_factory=dict)
    waiting: int | None = None
    """None when unknown: then only min_sample_per_arm values complete the results."""


@dataclass(frozen=True)
class Status:
    complete: bool
    smallest: int
    """The fewest values of the primary outcome in an arm."""
    wanted: int
    """min_sample_per_arm."""
    stopped: bool
    waiting: int | None

    @property
    def below_plan(self) -> bool:
        return self.complete and self.smallest < self.wanted


def status(
    experiment: Experiment, values: Mapping[str, Sequence[float]], progress: Progress
) -> Status:
    smallest = min((len(v) for v in values.values()), default=0)
    wanted = experiment["min_sample_per_arm"]
    stopped = "stopped" in experiment
    settled = stopped and progress.waiting == 0
    return Status(smallest >= wanted or settled, smallest, wanted, stopped, progress.waiting)


def too_early(found: Status) -> str:
    if found.stopped and found.waiting:
        return (
            f"Too early: assignment stopped, waiting for the outcomes of {found.waiting} "
            f"assigned mentees ({found.smallest} of {found.wanted} per arm so far)"
        )
    return f"Too early: {found.smallest} of {found.wanted} mentees per arm"


def sample_note(found: Status) -> str | None:
    """What a sample below the planned size means for the verdict."""
    if not found.below_plan:
        return None
    planned = stats.detectable_effect(found.wanted)
    said = (
        f"sample below the planned size: {found.smallest} of {found.wanted} mentees in the "
        "smallest arm"
    )
    if planned is None:
        return said
    power = stats.power(planned, found.smallest)
    return f"{said}, power {power:.2f} to detect the planned effect (d = {planned})"


def sample_size(
    control_id: str, arm_id: str, values: Mapping[str, Sequence[float]], progress: Progress
) -> str:
    """`(n = 9 of 12 assigned in A, 10 of 12 in B)`: values against mentees assigned."""
    parts = []
    for arm in (control_id, arm_id):
        n = len(values.get(arm, ()))
        assigned = progress.assigned.get(arm)
        parts.append(f"{n} in {arm}" if assigned is None else f"{n} of {assigned} in {arm}")
    if all(a in progress.assigned for a in (control_id, arm_id)):
        first, second = parts
        return f"(n = {first.replace(' in ', ' assigned in ', 1)}, {second})"
    return f"(n = {parts[0]}, {parts[1]})"
