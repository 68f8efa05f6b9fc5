"""Refusals the QA domain raises; the API turns them into its error bodies."""

from __future__ import annotations

from typing import Any


class Conflict(Exception):
    """Valid, but the state does not allow it (HTTP 409); carries the current state."""

    def __init__(self, reason: str, current: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.current = current


class NotAllowed(Exception):
    """This caller may not do this (HTTP 403)."""
