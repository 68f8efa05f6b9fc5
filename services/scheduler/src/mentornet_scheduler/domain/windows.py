"""A person's availability as UTC intervals: the contracts' one implementation
(mentornet_contracts.timewindows), with an unknown zone refused as a field error."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from mentornet_chassis.errors import Invalid
from mentornet_contracts import timewindows
from mentornet_contracts.timewindows import (
    WEEKDAYS,
    Interval,
    clip,
    free_intervals,
    inside,
    intersect,
    merge,
    subtract,
    wall_clock,
)

__all__ = [
    "WEEKDAYS",
    "Interval",
    "UnknownZone",
    "clip",
    "free_intervals",
    "inside",
    "intersect",
    "merge",
    "subtract",
    "wall_clock",
    "zone",
]


class UnknownZone(Invalid, ValueError):
    """Not an IANA time zone name."""

    def __init__(self, reason: str) -> None:
        super().__init__("timezone", reason)


def zone(name: str) -> ZoneInfo:
    try:
        return timewindows.zone(name)
    except timewindows.UnknownZone as unknown:
        raise UnknownZone(str(unknown)) from None
