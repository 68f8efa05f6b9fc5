"""A program's matching board over HTTP, for its coordinators: every match and who
waits and why, batch runs on demand and their certified results, skill coverage gaps."""

from __future__ import annotations

from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow

from .parts import Board
from .views import BoardView, CoverageView, LatestRunView, RunRequestedView

TEAM = (Grant.COORDINATOR, Grant.SERVICE)

router = guarded_router(tags=["programs"])


@router.get(
    "/programs/{program_id}/matches",
    response_model=BoardView,
    response_model_exclude_unset=True,
    **allow("board.matches", *TEAM, on="program"),
)
async def listing(program_id: str, board: Board) -> BoardView:
    """Every match of the program with its explanation, and who is waiting and why."""
    matches, waitlisted = await board.matches(program_id)
    answer = {"program_id": program_id, "matches": matches, "waitlisted": waitlisted}
    return BoardView.model_validate(answer)


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
async def latest_run(program_id: str, board: Board) -> LatestRunView:
    """The last batch run: placed, waitlisted, total score, LP bound and gap; and
    whether a run has been asked for since."""
    latest = await board.latest_run(program_id)
    answer = {"program_id": program_id, "pending": latest.pending, "last": latest.last}
    return LatestRunView.model_validate(answer)


@router.get(
    "/programs/{program_id}/coverage",
    response_model=CoverageView,
    **allow("board.coverage", *TEAM, on="program"),
)
async def coverage_gaps(program_id: str, board: Board) -> CoverageView:
    """Skills that waiting mentees need and too few free mentor places offer, as of
    the last batch run: whom to recruit."""
    return CoverageView.model_validate({"program_id": program_id, **await board.gaps(program_id)})
