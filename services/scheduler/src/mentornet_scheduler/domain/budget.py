"""A mentor's monthly mentoring hours: the cap holds across every program they mentor in.

Months are the mentor's own calendar months (a session late on the 31st in Berlin
counts for that month in Berlin, whatever the UTC date says).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .windows import zone


def month_of(start: datetime, timezone: str) -> str:
    return start.astimezone(zone(timezone)).strftime("%Y-%m")


@dataclass
class HourBudget:
    """Minutes booked per month against the cap; `hold` records planned sessions so a
    series does not overrun a month it fills itself."""

    timezone: str
    cap_minutes: int
    used: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, timezone: str, cap_hours: float, used: Mapping[str, int]) -> HourBudget:
        return cls(timezone, round(cap_hours * 60), dict(used))

    def fits(self, start: datetime, minutes: int) -> bool:
        return self.used.get(month_of(start, self.timezone), 0) + minutes <= self.cap_minutes

    def hold(self, start: datetime, minutes: int) -> None:
        month = month_of(start, self.timezone)
        self.used[month] = self.used.get(month, 0) + minutes

    def describe(self, start: datetime) -> str:
        month = month_of(start, self.timezone)
        return (
            f"the mentor has {self.used.get(month, 0) / 60:g} of {self.cap_minutes / 60:g} "
            f"mentoring hours booked in {month}"
        )
