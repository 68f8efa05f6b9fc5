"""Intake's composition root: the only place its parts are built and wired.
`clock` is the one source of "now" (the SMART goals' "today"), so tests can run the
real service on a controllable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mentornet_chassis.process.runtime import Runtime, ServiceParts

from .api import ROUTERS
from .api.access import resolvers
from .api.import_jobs import UPLOAD_PATH
from .settings import IntakeSettings
from .store.import_jobs import ImportJobs
from .store.participants import PARTICIPANTS, ParticipantStore
from .store.people import PeopleDirectory
from .store.programs import PROGRAMS, ProgramStore
from .store.taxonomies import TAXONOMIES, TaxonomyStore
from .usecases.contacts import Contacts
from .usecases.importing import Importing
from .usecases.participants import ParticipantDesk
from .usecases.people import People
from .usecases.programs import ProgramDesk
from .usecases.registrar import Registrar
from .usecases.taxonomy import Curation
from .workers import ImportWorker

SERVICE = "intake"
SETTINGS = IntakeSettings


def build(runtime: Runtime, clock: Callable[[], datetime] | None = None) -> ServiceParts:
    clock = clock or runtime.clock
    wake = runtime.wake_relay
    participant_aggregates = runtime.aggregates(PARTICIPANTS)
    program_aggregates = runtime.aggregates(PROGRAMS)
    taxonomy_aggregates = runtime.aggregates(TAXONOMIES)
    participants = ParticipantStore(participant_aggregates)
    programs = ProgramStore(program_aggregates)
    taxonomies = TaxonomyStore(taxonomy_aggregates, wake)
    people = PeopleDirectory(runtime.db)
    jobs = ImportJobs(runtime.db)
    registrar = Registrar(participants, programs, wake, taxonomies, people, clock)
    worker = ImportWorker(jobs, registrar)
    settings = runtime.settings_as(IntakeSettings)
    return ServiceParts(
        clock=clock,
        routers=ROUTERS,
        provides=[
            registrar,
            ParticipantDesk(participants, taxonomies, people, wake, runtime.forget_answers, clock),
            ProgramDesk(programs, wake),
            People(participants, people, wake),
            Curation(taxonomies),
            Importing(registrar, jobs, worker.wake.set),
            Contacts(participants),
        ],
        stores=[participant_aggregates, program_aggregates, taxonomy_aggregates],
        on_startup=[participants.ensure_indexes, jobs.ensure_indexes],
        workers=[worker.run],
        body_limits={UPLOAD_PATH: settings.max_import_bytes},
        resources=resolvers(participants, programs, jobs),
        enrolments=participants.enrolments_of,
    )
