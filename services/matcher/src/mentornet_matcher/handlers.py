"""Thin subscribers: decode (done by the chassis), call the domain, save."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from mentornet_chassis.aggregates import Applied, Decision, State
from mentornet_chassis.consumer import Handler
from mentornet_contracts import Envelope, Event
from mentornet_contracts.events.participants import (
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
)

from .domain import candidates
from .store import CandidateStore

E = TypeVar("E", bound=Event)


def _read_model_handler(
    store: CandidateStore, apply: Callable[[State | None, Any], State]
) -> Handler:
    async def handle(envelope: Envelope[Any]) -> Applied:
        def decide(current: State | None) -> Decision:
            return Decision(state=apply(current, envelope.event))

        return await store.aggregates.apply(envelope.subject, decide, handled=envelope.id)

    return handle


def participant_handlers(store: CandidateStore) -> dict[type[Event], Handler]:
    return {
        MenteeRegistered: _read_model_handler(store, candidates.on_mentee_registered),
        MentorRegistered: _read_model_handler(store, candidates.on_mentor_registered),
        ParticipantWithdrawn: _read_model_handler(store, candidates.on_withdrawn),
        ParticipantErased: _read_model_handler(store, candidates.on_erased),
    }
