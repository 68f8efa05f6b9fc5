"""A clock tests move by hand, for services that take `clock` in their build."""

from __future__ import annotations

from datetime import datetime, timedelta


class MovableClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
