"""Refusals the feedback domain raises; the API turns them into its error bodies."""

from __future__ import annotations

from typing import Any


class Conflict(Exception):
    """Valid, but the state does not allow it (HTTP 409); carries the current state."""

    def __init__(self, reason: str, current: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.current = current


class NotYours(Exception):
    """The caller is not the person this belongs to (HTTP 403)."""


class Missing(LookupError):
    """No such request, session, report, item or goal here (HTTP 404)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
