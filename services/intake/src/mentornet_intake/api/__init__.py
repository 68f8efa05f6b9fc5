"""Intake's routes: parse, authorize, call one use case, shape the answer."""

from __future__ import annotations

from fastapi import APIRouter

from . import contacts, import_jobs, imports, participants, people, programs, taxonomy

ROUTERS: list[APIRouter] = [
    participants.router,
    programs.router,
    people.router,
    taxonomy.router,
    imports.router,
    import_jobs.router,
    contacts.router,
]
