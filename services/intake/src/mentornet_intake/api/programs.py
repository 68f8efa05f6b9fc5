"""Programs over HTTP: coordinators create, change and publish the programs they run."""

from __future__ import annotations

from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import TEAM, Grant, allow

from ..domain import programs
from ..domain.programs import ProgramState
from .access import caller_of
from .parts import Programs
from .views import ProgramView

router = guarded_router(prefix="/programs", tags=["programs"])


def _view(state: ProgramState) -> dict[str, object]:
    """The answer's keys, checked and filtered by the route's response model."""
    return {
        "program_id": state["program_id"],
        "status": state["status"],
        "coordinators": state["coordinators"],
        **state["spec"],
    }


@router.post(
    "", status_code=201, response_model=ProgramView, **allow("programs.create", Grant.COORDINATOR)
)
async def create(
    spec: programs.ProgramSpec, principal: SignedIn, desk: Programs
) -> dict[str, object]:
    """A draft program; its creator coordinates it."""
    return _view(await desk.create(spec, caller_of(principal)))


@router.get(
    "/{program_id}", response_model=ProgramView, **allow("programs.read", *TEAM, on="program")
)
async def get(program_id: str, desk: Programs) -> dict[str, object]:
    return _view(await desk.get(program_id))


@router.patch(
    "/{program_id}", response_model=ProgramView, **allow("programs.change", *TEAM, on="program")
)
async def update(
    program_id: str, patch: programs.ProgramPatch, desk: Programs
) -> dict[str, object]:
    return _view(await desk.change(program_id, patch))


@router.post(
    "/{program_id}/publish",
    response_model=ProgramView,
    **allow("programs.publish", *TEAM, on="program"),
)
async def publish(program_id: str, desk: Programs) -> dict[str, object]:
    return _view(await desk.publish(program_id))
