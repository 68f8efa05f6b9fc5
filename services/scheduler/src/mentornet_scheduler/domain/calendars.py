"""The calendar read model: each participant's time zone, weekly windows and leave,
from intake's events. Nothing else about the person is kept.

Withdrawal and erasure leave a tombstone (id and status), so a late event cannot bring
the calendar back and sessions can say why they were cancelled.
"""

from __future__ import annotations

from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.common import Availability
from mentornet_contracts.events.participants import (
    AvailabilityUpdated,
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
)

from .state import Calendar, CalendarStatus


def on_registered(
    current: Calendar | None, event: MenteeRegistered | MentorRegistered
) -> Calendar | None:
    """A registration (either role) sets the calendar; one that comes after a
    withdrawal or erasure changes nothing."""
    if current is not None and current.get("status") != CalendarStatus.ACTIVE:
        return None
    role = "mentor" if isinstance(event, MentorRegistered) else "mentee"
    base: Calendar = current or {
        "participant_id": event.participant_id,
        "status": CalendarStatus.ACTIVE,
    }
    calendar: Calendar = {
        **base,
        "status": CalendarStatus.ACTIVE,
        "roles": {**base.get("roles", {}), role: event.program_id},
    }
    if event.availability is not None or "availability" not in calendar:
        calendar["availability"] = _dump(event.availability)
    return calendar


def on_availability_updated(current: Calendar | None, event: AvailabilityUpdated) -> Calendar:
    if current is None:
        raise UnknownEntity("participant", event.participant_id, "availability before registration")
    if current.get("status") != CalendarStatus.ACTIVE:
        return current
    return {**current, "availability": _dump(event.availability)}


def on_left(current: Calendar | None, event: ParticipantWithdrawn | ParticipantErased) -> Calendar:
    erased = isinstance(event, ParticipantErased)
    status = CalendarStatus.ERASED if erased else CalendarStatus.WITHDRAWN
    return {"participant_id": event.participant_id, "status": status}


def availability(calendar: Calendar | None) -> Availability | None:
    """The person's availability, or None when unknown, empty or gone."""
    if calendar is None or calendar.get("status") != CalendarStatus.ACTIVE:
        return None
    value = calendar.get("availability")
    return Availability.model_validate(value) if value else None


def _dump(value: Availability | None) -> dict[str, object] | None:
    return value.model_dump(mode="json") if value is not None else None
