"""The feedback domain's refusals as MentorNet's error bodies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mentornet_chassis import errors
from mentornet_chassis.errors import Forbidden, Invalid, NotFound

from .domain import written
from .domain.errors import Conflict, Missing, NotYours
from .domain.templates import AnswerError


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except Conflict as exc:
        current = exc.current and written.bare(exc.current)
        raise errors.Conflict("state", str(exc), current=current) from None
    except NotYours as exc:
        raise Forbidden("Authorization", str(exc)) from None
    except Missing as exc:
        raise NotFound(exc.field, str(exc)) from None
    except AnswerError as exc:
        raise Invalid(exc.field, exc.reason) from None
