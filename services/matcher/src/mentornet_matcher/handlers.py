"""The event table: each event the matcher consumes, to the read model it updates (a
pure domain function, saved by the chassis with the event's id) and what the change
sets off (usecases/followups.py). The chassis decodes."""

from __future__ import annotations

from mentornet_chassis.messaging.consumer import Handler
from mentornet_chassis.messaging.subscribers import ThenOn, Updating, updating
from mentornet_contracts import Event
from mentornet_contracts.events.matches import EndCause
from mentornet_contracts.events.participants import (
    AvailabilityUpdated,
    GoalsUpdated,
    MenteeRegistered,
    MentorRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
    ProfileUpdated,
)
from mentornet_contracts.events.programs import (
    ImportFinished,
    ProgramPublished,
    ProgramUpdated,
    TaxonomyUpdated,
)
from mentornet_contracts.events.qa import EscalationRaised
from mentornet_contracts.events.sessions import SeriesCompleted

from .domain import candidates, programs, taxonomy_view
from .domain.documents import Candidate, Program
from .store import MatcherStores
from .usecases.followups import FollowUps

SIDE_BY_SIDE: tuple[type[Event], ...] = (MenteeRegistered, MentorRegistered)
"""Registrations, each its own person's candidate: a burst of them (an import, a program's
opening day) is handled a poll batch at a time (chassis messaging/lanes.py). The mentees
among them are placed a few at a time per program (matchmaker.PLACING_AT_ONCE); an import's are
held for its batch run and only counted."""


def matcher_handlers(stores: MatcherStores, then: FollowUps) -> dict[type[Event], Handler]:
    def person(
        update: Updating[Candidate], follow_up: ThenOn[Candidate], *, new: bool = False
    ) -> Handler:
        return updating(stores.candidate_states, update, follow_up, new_likely=new)

    def program(update: Updating[Program]) -> Handler:
        return updating(stores.program_states, update, then.batch)

    return {
        MenteeRegistered: person(candidates.on_mentee_registered, then.registered, new=True),
        MentorRegistered: person(candidates.on_mentor_registered, then.joined, new=True),
        ProfileUpdated: person(candidates.on_profile_updated, then.profile),
        GoalsUpdated: person(candidates.on_goals_updated, then.place),
        AvailabilityUpdated: person(candidates.on_availability_updated, then.availability),
        ParticipantWithdrawn: person(
            candidates.on_withdrawn, then.leaving(EndCause.PARTICIPANT_WITHDRAWN)
        ),
        ParticipantErased: person(candidates.on_erased, then.erased),
        ProgramPublished: program(programs.on_published),
        ProgramUpdated: program(programs.on_updated),
        TaxonomyUpdated: updating(
            stores.taxonomy, taxonomy_view.on_taxonomy_updated, then.taxonomy
        ),
        ImportFinished: then.imported,
        EscalationRaised: then.escalation,
        SeriesCompleted: then.series_completed,
    }
