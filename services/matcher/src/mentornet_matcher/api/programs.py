"""A program's matching board over HTTP, for its coordinators: every match and who
waits and why, batch runs on demand and their certified results, skill coverage gaps."""

from __future__ import annotations

from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import TEAM, allow

from .parts import Board
from .views import BoardView, CoverageView, LatestRunView, RunRequestedView

router = guarded_router(tags=["programs"])


@router.get(
    "/programs/{program_id}/matches",
    response_model=BoardView,
    response_model_exclude_unset=True,
    **allow("board.matches", *TEAM, on="program"),
)
async def listing(program_id: str, board: Board) -> dict[str, object]:
    """Every match of the program with its explanation, and who is waiting and why."""
    matches, waitlisted = await board.matches(program_id)
    return {"program_id": program_id, "matches": matches, "waitlisted": waitlisted}


@router.post(
    "/programs/{program_id}/matching-runs",
    status_code=202,
    response_model=RunRequestedView,
    **allow("board.request_run", *TEAM, on="program"),
)
async def request_run(program_id: str, board: Board) -> RunRequestedView:
    """Ask for a batch run now: every unplaced mentee, certified optimal. The result
    shows under GET .../matching-runs/latest."""
    await board.request_run(program_id)
    return RunRequestedView(program_id=program_id, requested=True)


@router.get(
    "/programs/{program_id}/matching-runs/latest",
    response_model=LatestRunView,
    **allow("board.latest_run", *TEAM, on="program"),
)
async def latest_run(program_id: str, board: Board) -> dict[str, object]:
    """The last batch run: placed, waitlisted, total score, LP bound and gap; and
    whether a run has been asked for since."""
    latest = await board.latest_run(program_id)
    return {"program_id": program_id, "pending": latest.pending, "last": latest.last}


@router.get(
    "/programs/{program_id}/coverage",
    response_model=CoverageView,
    **allow("board.coverage", *TEAM, on="program"),
)
async def coverage_gaps(program_id: str, board: Board) -> dict[str, object]:
    """Skills that waiting mentees need and too few free mentor places offer, as of
    the last batch run: whom to recruit."""
    return {"program_id": program_id, **await board.gaps(program_id)}
