"""What feedback does about the matcher's news: a confirmed match is recorded with its
goals and the mentee's baseline (domain/outcomes.py), which needs the mentee as intake
registered them. Their registration travels on another topic: until it is here the
confirmation waits (parked), so the baseline is never lost."""

from __future__ import annotations

from dataclasses import dataclass

from mentornet_chassis.store.aggregates import Applied
from mentornet_chassis.store.typed import Change
from mentornet_contracts import Envelope, new_envelope
from mentornet_contracts.catalogue import PARTICIPANTS
from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.matches import MatchConfirmed

from ..domain import outcomes
from ..domain.state import Match
from .common import SERVICE, Parts


@dataclass(frozen=True)
class MatchFacts:
    parts: Parts

    async def confirmed(self, envelope: Envelope[MatchConfirmed]) -> Applied:
        event, stores = envelope.event, self.parts.stores
        person = await stores.person(event.mentee_id)
        if person is None:
            raise UnknownEntity(
                "mentee", event.mentee_id, "confirmed before registered", on_topic=PARTICIPANTS.name
            )

        def decide(state: Match | None) -> Change[Match]:
            changed, events = outcomes.on_confirmed(state, event, person, envelope.time)
            emitted = [new_envelope(e, SERVICE, caused_by=envelope) for e in events]
            return Change(changed, emitted)

        applied = await stores.match_states.apply(event.match_id, decide, handled=envelope.id)
        return applied.untyped()
