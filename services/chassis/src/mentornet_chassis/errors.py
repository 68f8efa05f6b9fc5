"""Refusals: the one family of errors for "I will not do that", raised by domain code,
use cases and the HTTP edge alike.

Each names the field and the reason; the HTTP edge turns any of them into MentorNet's
error body with its status (http/app.py, one handler), so no layer below the routes
knows about HTTP. Pure: no web framework, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

Problem = dict[str, str]


def error_body(error: str, problems: Sequence[Problem]) -> dict[str, Any]:
    """Every error body has one shape: the first problem's field and reason at the top,
    for clients that show one message, and all of them under `errors`."""
    first = problems[0] if problems else {"field": "body", "reason": error}
    return {
        "error": error,
        "field": first["field"],
        "reason": first["reason"],
        "errors": [dict(problem) for problem in problems] or [first],
    }


def problems_of(errors: Sequence[Any]) -> list[Problem]:
    """Pydantic's errors as {field, reason} pairs; the field is the dotted location."""
    return [
        {"field": ".".join(str(p) for p in err["loc"]) or "body", "reason": err["msg"]}
        for err in errors
    ]


class Refusal(Exception):
    """Refused, naming the field and the reason; `state` (the thing as it now is, under
    its name) goes into the body so a client can show what it ran into."""

    status: ClassVar[int] = 400
    error: str = "bad_request"

    def __init__(self, field: str, reason: str, *, error: str | None = None, **state: Any) -> None:
        """`error` names a more precise kind than the class's (`already_registered`)."""
        super().__init__(reason)
        self.field = field
        self.reason = reason
        if error is not None:
            self.error = error
        self.state = {name: value for name, value in state.items() if value is not None}

    @property
    def body(self) -> dict[str, Any]:
        return {
            **error_body(self.error, [{"field": self.field, "reason": self.reason}]),
            **self.state,
        }


class Invalid(Refusal):
    """The request is well formed but a value is not acceptable (HTTP 422)."""

    status = 422
    error = "validation_failed"


class NotFound(Refusal, LookupError):
    """No such thing here, or none the caller may know of (HTTP 404)."""

    status = 404
    error = "not_found"


class Conflict(Refusal):
    """Valid, but the current state does not allow it (HTTP 409)."""

    status = 409
    error = "conflict"


class Forbidden(Refusal):
    """This caller may not do this (HTTP 403)."""

    status = 403
    error = "forbidden"


class Unauthorized(Refusal):
    """No acceptable credentials (HTTP 401)."""

    status = 401
    error = "unauthorized"


class UnsupportedMediaType(Refusal):
    """The body comes in a format this route does not read (HTTP 415)."""

    status = 415
    error = "unsupported_media_type"
