"""Leaving: withdrawal keeps the record; erasure removes everything personal.

Erasing twice is harmless: the second time finds a tombstone and emits nothing.
"""

from __future__ import annotations

from typing import Any

from mentornet_contracts.events.audit import AuditGroupsRecorded
from mentornet_contracts.events.participants import ParticipantErased, ParticipantWithdrawn

from .registration import RegistrationConflict

TOMBSTONE_FIELDS = ("participant_id", "program_id")


def withdraw(state: dict[str, Any], reason: str) -> tuple[dict[str, Any], ParticipantWithdrawn]:
    if state["status"] != "active":
        raise RegistrationConflict(f"participant is already {state['status']}")
    event = ParticipantWithdrawn(participant_id=state["participant_id"], reason=reason)
    return {**state, "status": "withdrawn", "withdrawal_reason": reason}, event


def erase(state: dict[str, Any]) -> tuple[dict[str, Any], ParticipantErased | None]:
    """A tombstone with no personal data, and the event, unless already erased."""
    if state["status"] == "erased":
        return state, None
    tombstone = {field: state[field] for field in TOMBSTONE_FIELDS}
    return {**tombstone, "status": "erased"}, ParticipantErased(
        participant_id=state["participant_id"]
    )


def withdraw_diversity_consent(
    state: dict[str, Any],
) -> tuple[dict[str, Any], AuditGroupsRecorded | None]:
    """Forget the attributes; tell QA to forget them too (empty groups). Harmless to repeat."""
    if not state.get("diversity"):
        return state, None
    remaining = {k: v for k, v in state.items() if k != "diversity"}
    return remaining, AuditGroupsRecorded(
        participant_id=state["participant_id"], program_id=state["program_id"], groups={}
    )
