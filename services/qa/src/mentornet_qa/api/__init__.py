"""QA's routes: parse, authorize (`allow`), call one use case, shape the answer."""

from fastapi import APIRouter

from . import cases, health, samples

ROUTERS: list[APIRouter] = [cases.router, samples.router, health.router]
