"""Matching experiments' results and weight calibration over HTTP (docs/outcomes.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import QA_TEAM, TEAM, allow
from mentornet_chassis.http.provided import provided

from ..domain.calibration_report import Calibration
from ..domain.experiment_results import Results
from ..usecases.calibration import Calibrator
from ..usecases.experiments import ExperimentResults
from .experiment_views import CalibrationRequest, CalibrationView, ResultsView

Analysis = Annotated[ExperimentResults, Depends(provided(ExperimentResults))]
Calibrating = Annotated[Calibrator, Depends(provided(Calibrator))]

router = guarded_router(tags=["experiments"])


@router.get(
    "/programs/{program_id}/experiments/{experiment_id}/results",
    response_model=ResultsView,
    **allow("experiments.results", *QA_TEAM, on="program"),
)
async def results(program_id: str, experiment_id: str, analysis: Analysis) -> Results:
    """Per arm n, mean, sd and 95% interval on the primary outcome; each arm against the
    control (difference, bootstrap interval, effect size, p-value); the fairness
    guardrail; the status and the verdict."""
    return await analysis.results(program_id, experiment_id)


@router.post(
    "/programs/{program_id}/calibration",
    response_model=CalibrationView,
    **allow("calibration.propose", *TEAM, on="program"),
)
async def calibration(
    program_id: str, body: CalibrationRequest, calibrator: Calibrating
) -> Calibration:
    """Proposed weights fitted to the outcome over the program's ended matches, with
    their uncertainty, expected effect and backtest, as a rule to try in an experiment.
    422 with fewer than 20 ended matches carrying signals and the outcome."""
    return await calibrator.calibrate(program_id, body.outcome)
