"""QA's routes: parse, authorize (`allow`), call one use case, shape the answer."""

from fastapi import APIRouter

from . import cases, experiments, health, outcomes, samples, series

ROUTERS: list[APIRouter] = [
    cases.router,
    samples.router,
    health.router,
    outcomes.router,
    experiments.router,
    series.router,
]
