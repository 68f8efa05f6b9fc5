"""The scheduler's routes. Calendar routes come first: `/sessions/{id}.ics` must win
over `/sessions/{id}`."""

from fastapi import APIRouter

from . import calendars, cohorts, sessions

ROUTERS: list[APIRouter] = [calendars.router, sessions.router, cohorts.router]
