"""The notifier's routes: parse, authorize (`allow`), call one use case, shape the answer."""

from fastapi import APIRouter

from . import deliveries, preferences

ROUTERS: list[APIRouter] = [preferences.router, deliveries.router]
