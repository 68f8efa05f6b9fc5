"""MentorNet's error body: which field is wrong and why, in one shape for every error.

Pure functions, so domain code (bulk import rows, say) reports problems the way the
HTTP API does without depending on the web framework.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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


class ApiError(Exception):
    """An HTTP error whose JSON body names the field and the reason."""

    def __init__(self, status: int, error: str, field: str, reason: str) -> None:
        super().__init__(f"{status} {error}: {field}: {reason}")
        self.status = status
        self.field = field
        self.reason = reason
        self.body = error_body(error, [{"field": field, "reason": reason}])


def not_found(field: str, reason: str) -> ApiError:
    return ApiError(404, "not_found", field, reason)


def conflict(field: str, reason: str, **state: Any) -> ApiError:
    """A 409; `state` (the thing as it now is, under its name) goes into the body so
    the client can show what it conflicted with."""
    error = ApiError(409, "conflict", field, reason)
    error.body.update({name: value for name, value in state.items() if value is not None})
    return error
