"""How to reach a participant, for a service that tells them something (the notifier):
their address, their name and their time zone, nothing more (docs/privacy.md).

Only someone still taking part is reachable: a withdrawn participant has left the
program and an erased one is a tombstone, so neither has a contact.
"""

from __future__ import annotations

from typing import TypedDict

from .participant import ParticipantState, ParticipantStatus


class Contact(TypedDict):
    participant_id: str
    email: str
    display_name: str
    time_zone: str | None
    """The IANA zone of their availability, if they gave one."""


def time_zone_of(state: ParticipantState) -> str | None:
    """The zone of the availability of the first of their roles that has one (a change
    of availability sets it in every role: domain/profile.py)."""
    profiles = state.get("profiles", {})
    for role in state.get("roles", []):
        availability = profiles.get(role, {}).get("availability")
        if isinstance(availability, dict) and availability.get("timezone"):
            return str(availability["timezone"])
    return None


def contact_of(state: ParticipantState) -> Contact | None:
    """The participant's contact; None unless they are active and have an address."""
    if state["status"] != ParticipantStatus.ACTIVE:
        return None
    email, name = state.get("email"), state.get("display_name")
    if not email or name is None:
        return None
    return Contact(
        participant_id=state["participant_id"],
        email=email,
        display_name=name,
        time_zone=time_zone_of(state),
    )
