"""Shared by QA's routes: the domain's refusals as the API's error bodies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mentornet_chassis import errors
from mentornet_chassis.errors import Forbidden

from .domain.errors import Conflict, NotAllowed


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except Conflict as exc:
        raise errors.Conflict("state", str(exc), current=exc.current) from None
    except NotAllowed as exc:
        raise Forbidden("Authorization", str(exc)) from None
