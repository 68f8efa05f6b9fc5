"""The feedback domain's refusals as MentorNet's error bodies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mentornet_chassis.http.app import ApiError, conflict, not_found
from mentornet_chassis.http.auth import forbidden

from .domain import written
from .domain.errors import Conflict, Missing, NotYours
from .domain.templates import AnswerError


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except Conflict as exc:
        current = exc.current and written.bare(exc.current)
        raise conflict("state", str(exc), current=current) from None
    except NotYours as exc:
        raise forbidden(str(exc)) from None
    except Missing as exc:
        raise not_found(exc.field, str(exc)) from None
    except AnswerError as exc:
        raise ApiError(422, "validation_failed", exc.field, exc.reason) from None
