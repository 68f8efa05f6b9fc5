"""Shared by QA's routes: the domain's refusals as the API's error bodies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mentornet_chassis.http.app import conflict
from mentornet_chassis.http.auth import forbidden

from .domain.errors import Conflict, NotAllowed


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except Conflict as exc:
        raise conflict("state", str(exc), current=exc.current) from None
    except NotAllowed as exc:
        raise forbidden(str(exc)) from None
