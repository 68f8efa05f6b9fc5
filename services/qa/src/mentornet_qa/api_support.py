"""Shared by QA's routes: who oversees a program, and the domain's refusals as the
API's error bodies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mentornet_chassis.auth import Principal, Role, forbidden
from mentornet_chassis.http import conflict

from .domain.errors import Conflict, NotAllowed


def oversees(principal: Principal, program_id: str, *, reviewers: bool = True) -> None:
    """The program's coordinators and service accounts; its QA reviewers when
    `reviewers`."""
    allowed = principal.has(Role.SERVICE) or principal.runs(program_id)
    if reviewers:
        allowed = allowed or principal.reviews(program_id)
    if not allowed:
        raise forbidden(f"you do not coordinate program {program_id}")


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except Conflict as exc:
        raise conflict("state", str(exc), current=exc.current) from None
    except NotAllowed as exc:
        raise forbidden(str(exc)) from None
