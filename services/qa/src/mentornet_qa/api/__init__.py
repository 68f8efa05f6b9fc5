"""QA's routes: parse, authorize (`allow`), call one use case, shape the answer."""

from fastapi import APIRouter

from . import cases, experiments, health, outcomes, samples

ROUTERS: list[APIRouter] = [
    cases.router,
    samples.router,
    health.router,
    outcomes.router,
    experiments.router,
]
