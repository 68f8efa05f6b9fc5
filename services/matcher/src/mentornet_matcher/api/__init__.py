"""Matcher's HTTP routes: module-level routers; the parts they use come from the
composition root by type (mentornet_chassis.http.provided)."""

from fastapi import APIRouter

from . import candidates, experiments, matches, programs

ROUTERS: list[APIRouter] = [
    candidates.router,
    matches.router,
    programs.router,
    experiments.router,
]
