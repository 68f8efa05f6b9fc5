"""Feedback's routes: parse, authorize, call one use case, shape the answer."""

from fastapi import APIRouter

from . import checkins, feedback, goals, outcomes, reports, requests, summaries, templates

ROUTERS: list[APIRouter] = [
    templates.router,
    requests.router,
    feedback.router,
    reports.router,
    goals.router,
    summaries.router,
    checkins.router,
    outcomes.router,
]
