"""Intake's composition root: the only place its parts are built and wired."""

from __future__ import annotations

from mentornet_chassis.process.runner import run_service
from mentornet_chassis.process.runtime import Runtime, ServiceParts
from mentornet_chassis.process.settings import load_settings

from . import access, import_jobs_api, imports_api, people_api, programs_api, taxonomy_api
from .api import create_router
from .import_jobs import ImportJobs
from .import_worker import ImportWorker
from .people import PeopleDirectory
from .registrar import Registrar
from .settings import IntakeSettings
from .store import PARTICIPANTS, PROGRAMS, ParticipantStore
from .taxonomies import TAXONOMIES, TaxonomyStore

SERVICE = "intake"
SETTINGS = IntakeSettings


def build(runtime: Runtime) -> ServiceParts:
    aggregates = runtime.aggregates(PARTICIPANTS)
    participants = ParticipantStore(aggregates)
    program_store = runtime.aggregates(PROGRAMS)
    wake = runtime.wake_relay
    taxonomy_store = runtime.aggregates(TAXONOMIES)
    taxonomies = TaxonomyStore(taxonomy_store, wake)
    people = PeopleDirectory(runtime.db)
    registrar = Registrar(participants, program_store, wake, taxonomies, people)
    jobs = ImportJobs(runtime.db)
    worker = ImportWorker(jobs, registrar)
    settings = runtime.settings_as(IntakeSettings)
    return ServiceParts(
        clock=runtime.clock,
        routers=[
            create_router(participants, program_store, wake, registrar, runtime.forget_answers),
            programs_api.create_router(program_store, wake),
            people_api.create_router(participants, people, wake),
            taxonomy_api.create_router(taxonomies),
            imports_api.create_router(registrar),
            import_jobs_api.create_router(jobs, registrar, worker.wake.set),
        ],
        stores=[aggregates, program_store, taxonomy_store],
        on_startup=[participants.ensure_indexes, jobs.ensure_indexes],
        workers=[worker.run],
        body_limits={import_jobs_api.UPLOAD_PATH: settings.max_import_bytes},
        resources=access.resolvers(participants, program_store, jobs),
        enrolments=participants.enrolments_of,
    )


def main() -> None:
    run_service(SERVICE, load_settings(SETTINGS, SERVICE), build)
