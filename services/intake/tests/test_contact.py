"""A participant's contact (domain/contact.py), without a broker or database."""

from __future__ import annotations

from typing import Any

import pytest
from mentornet_contracts.events.common import Availability
from mentornet_intake.domain.contact import contact_of
from mentornet_intake.domain.forms import MenteeRegistration
from mentornet_intake.domain.lifecycle import erase, withdraw
from mentornet_intake.domain.participant import ParticipantState
from mentornet_intake.domain.profile import AvailabilityChange, change_availability
from mentornet_intake.domain.registration import register

pytestmark = pytest.mark.unit


def registered(**extra: Any) -> ParticipantState:
    body = MenteeRegistration.model_validate(
        {
            "program_id": "prog-1",
            "display_name": "Ada Lovelace",
            "email": "ada@example.org",
            "languages": ["en"],
            "consent": {"version": "1", "accepted_at": "2026-11-01T09:00:00Z"},
            **extra,
        }
    )
    state, _ = register(None, body, "p-1")
    return state


def test_an_active_participant_is_reached_at_their_address_in_their_zone() -> None:
    state = registered(availability={"timezone": "Asia/Tokyo"})
    assert contact_of(state) == {
        "participant_id": "p-1",
        "email": "ada@example.org",
        "display_name": "Ada Lovelace",
        "time_zone": "Asia/Tokyo",
    }


def test_the_zone_is_null_without_availability_and_follows_a_change() -> None:
    state = registered()
    contact = contact_of(state)
    assert contact is not None
    assert contact["time_zone"] is None
    change = AvailabilityChange(availability=Availability(timezone="Europe/Berlin"))
    changed, _ = change_availability(state, change)
    moved = contact_of(changed)
    assert moved is not None
    assert moved["time_zone"] == "Europe/Berlin"


def test_withdrawn_and_erased_participants_have_no_contact() -> None:
    withdrawn, _ = withdraw(registered(), "changed role")
    erased, _ = erase(registered())
    assert contact_of(withdrawn) is None
    assert contact_of(erased) is None
