"""A program's matching experiments over HTTP, for its team: define one, change its
arms while nobody is assigned, stop it, read it with its assignment counts."""

from __future__ import annotations

from typing import Any

from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import TEAM, allow

from ..domain.experiments import summary
from .experiment_bodies import ArmsBody, ExperimentBody, ExperimentView
from .parts import Experimenting

router = guarded_router(tags=["experiments"])
BASE = "/programs/{program_id}/experiments"


@router.post(
    BASE,
    status_code=201,
    response_model=ExperimentView,
    **allow("experiments.define", *TEAM, on="program"),
)
async def define(
    program_id: str, body: ExperimentBody, experiments: Experimenting, principal: SignedIn
) -> dict[str, Any]:
    """Define and start an experiment: the program's waiting mentees are assigned to
    arms at once (participant-id order), every new mentee when they register. 422 for
    an unknown signal (the field path names it), a duplicate arm id, a control arm that
    is not an arm, a primary outcome the program does not collect; 409 while another
    experiment runs in the program."""
    spec = body.model_dump(mode="json")
    state = await experiments.define(program_id, spec, principal.subject)
    return summary(state)


@router.put(
    BASE + "/{experiment_id}/arms",
    response_model=ExperimentView,
    **allow("experiments.change_arms", *TEAM, on="program"),
)
async def change_arms(
    program_id: str, experiment_id: str, body: ArmsBody, experiments: Experimenting
) -> dict[str, Any]:
    """New arms (experiment.defined again) while nobody is assigned; 409 with the
    assigned counts once assignment began."""
    arms = [arm.model_dump(mode="json") for arm in body.arms]
    state = await experiments.change_arms(program_id, experiment_id, arms, body.control_arm_id)
    return summary(state)


@router.post(
    BASE + "/{experiment_id}/stop",
    response_model=ExperimentView,
    **allow("experiments.stop", *TEAM, on="program"),
)
async def stop(program_id: str, experiment_id: str, experiments: Experimenting) -> dict[str, Any]:
    """Stop assigning (experiment.stopped, reason coordinator); 409 if stopped already.
    Mentees already assigned keep their arm's rule."""
    return summary(await experiments.stop(program_id, experiment_id))


@router.get(
    BASE + "/{experiment_id}",
    response_model=ExperimentView,
    **allow("experiments.read", *TEAM, on="program"),
)
async def read(program_id: str, experiment_id: str, experiments: Experimenting) -> dict[str, Any]:
    """The definition, running or stopped, and mentees assigned per arm and stratum."""
    return summary(await experiments.get(program_id, experiment_id))
