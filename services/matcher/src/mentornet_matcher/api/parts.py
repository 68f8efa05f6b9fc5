"""The parts routes ask for by type, as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.provided import provided

from ..usecases.board import ProgramBoard
from ..usecases.decisions import Decisions
from ..usecases.experiments import Experiments
from ..usecases.pairs import Pairs
from ..usecases.pauses import Pauses

Board = Annotated[ProgramBoard, Depends(provided(ProgramBoard))]
Deciding = Annotated[Decisions, Depends(provided(Decisions))]
Explaining = Annotated[Pairs, Depends(provided(Pairs))]
Pausing = Annotated[Pauses, Depends(provided(Pauses))]
Experimenting = Annotated[Experiments, Depends(provided(Experiments))]
