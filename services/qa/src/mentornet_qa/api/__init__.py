"""QA's routes: parse, authorize (`allow`), call one use case, shape the answer."""

from fastapi import APIRouter

from . import cases, dashboards, experiments, figures, health, outcomes, samples, series

ROUTERS: list[APIRouter] = [
    cases.router,
    samples.router,
    health.router,
    outcomes.router,
    experiments.router,
    series.router,
    figures.router,
    dashboards.router,
]
