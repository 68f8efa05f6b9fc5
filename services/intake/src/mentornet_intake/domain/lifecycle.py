"""Leaving: withdrawal keeps the record; erasure removes everything personal.

Erasing twice is harmless: the second time finds a tombstone and emits nothing.
"""

from __future__ import annotations

from mentornet_contracts.events.audit import AuditGroupsRecorded
from mentornet_contracts.events.participants import ParticipantErased, ParticipantWithdrawn

from .participant import ParticipantState, ParticipantStatus
from .registration import RegistrationConflict


def withdraw(state: ParticipantState, reason: str) -> tuple[ParticipantState, ParticipantWithdrawn]:
    if state["status"] != ParticipantStatus.ACTIVE:
        raise RegistrationConflict(f"participant is already {state['status']}")
    event = ParticipantWithdrawn(participant_id=state["participant_id"], reason=reason)
    withdrawn: ParticipantState = {
        **state,
        "status": ParticipantStatus.WITHDRAWN,
        "withdrawal_reason": reason,
    }
    return withdrawn, event


def erase(state: ParticipantState) -> tuple[ParticipantState, ParticipantErased | None]:
    """A tombstone with no personal data, and the event, unless already erased."""
    if state["status"] == ParticipantStatus.ERASED:
        return state, None
    tombstone: ParticipantState = {
        "participant_id": state["participant_id"],
        "program_id": state["program_id"],
        "status": ParticipantStatus.ERASED,
    }
    return tombstone, ParticipantErased(participant_id=state["participant_id"])


def withdraw_diversity_consent(
    state: ParticipantState,
) -> tuple[ParticipantState, AuditGroupsRecorded | None]:
    """Forget the attributes; tell QA to forget them too (empty groups). Harmless to repeat."""
    if not state.get("diversity"):
        return state, None
    remaining = state.copy()
    del remaining["diversity"]
    return remaining, AuditGroupsRecorded(
        participant_id=state["participant_id"], program_id=state["program_id"], groups={}
    )
