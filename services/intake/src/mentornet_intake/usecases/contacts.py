"""A participant's contact for another service, at the moment it sends them something
(issue 21: the notifier asks here at send time and keeps no address)."""

from __future__ import annotations

from mentornet_chassis.errors import NotFound

from ..domain.contact import Contact, contact_of
from ..store.participants import ParticipantStore


class Contacts:
    def __init__(self, participants: ParticipantStore) -> None:
        self.participants = participants

    async def of(self, participant_id: str) -> Contact:
        """Their address, name and time zone; 404 naming `participant_id` for someone
        unknown, withdrawn or erased (nobody to tell any more)."""
        state = await self.participants.get(participant_id)
        if state is None:
            raise NotFound("participant_id", f"no participant {participant_id}")
        found = contact_of(state)
        if found is None:
            raise NotFound(
                "participant_id", f"participant {participant_id} is {state['status']}: no contact"
            )
        return found
