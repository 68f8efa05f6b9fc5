"""QA's composition root: the only place its parts are built and wired.

`clock` is the one source of "now" (SLAs, proposal timeouts, audits), so tests can run
the real service on a controllable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from mentornet_chassis.process.runtime import Runtime, ServiceParts
from mentornet_contracts.catalogue import SERVICES
from mentornet_contracts.errors import UnknownEntity

from .api import ROUTERS, access
from .handlers import SIDE_BY_SIDE, experiment_handlers, qa_handlers
from .settings import QaSettings
from .store import ExperimentStores, QaStores
from .usecases.audits import Auditor
from .usecases.calibration import Calibrator
from .usecases.cases import CaseDesk
from .usecases.dashboards import DashboardLinks, Dashboards
from .usecases.experiments import ExperimentResults
from .usecases.figures import ProgramFigures
from .usecases.followups import FollowUps
from .usecases.health import ProgramHealth
from .usecases.network import NetworkFigures
from .usecases.outcomes import Outcomes
from .usecases.programs import ProgramRules
from .usecases.recognitions import Recognitions
from .usecases.reviews import ReviewDesk
from .usecases.sampling import Sampler
from .usecases.series import ProgramSeries
from .workers import qa_timers

SERVICE = "qa"
SETTINGS = QaSettings
DEV_DASHBOARD_KEY = b"mentornet-local-dashboard-link-key"


def build(runtime: Runtime, clock: Callable[[], datetime] | None = None) -> ServiceParts:
    clock = clock or runtime.clock
    settings = runtime.settings_as(QaSettings)
    stores = QaStores(
        *(
            runtime.aggregates(n)
            for n in ("matches", "people", "programs", "periods", "samples", "recognition")
        )
    )
    trials = ExperimentStores(runtime.aggregates("experiments"), runtime.aggregates("assignments"))
    sampler = Sampler(
        stores, settings.sampling_seed, settings.double_review_share, settings.new_mentor_days
    )
    recognitions = Recognitions(stores)
    every = timedelta(days=settings.audit_every_days)
    auditor = Auditor(stores, settings.audit_min_group, settings.audit_min_ratio, every, clock)
    follow = FollowUps(stores, clock, sampler, recognitions, every, trials)
    timers = qa_timers(
        stores, auditor, sampler, clock, settings.timer_poll_seconds, runtime.wake_relay
    )
    links = DashboardLinks(
        _dashboard_key(settings), settings.public_url, settings.dashboard_link_hours
    )
    program_figures = ProgramFigures(stores, clock)
    network = NetworkFigures(stores, clock)
    return ServiceParts(
        side_by_side=SIDE_BY_SIDE,
        clock=clock,
        routers=ROUTERS,
        provides=[
            CaseDesk(stores, clock, runtime.wake_relay),
            ReviewDesk(stores, sampler, clock, runtime.wake_relay),
            ProgramRules(stores),
            ProgramHealth(stores, clock),
            program_figures,
            network,
            Dashboards(program_figures, network, links, clock),
            ProgramSeries(stores, clock),
            auditor,
            recognitions,
            ExperimentResults(stores, trials),
            Calibrator(stores, trials),
            Outcomes(stores, clock, runtime.wake_relay),
        ],
        handlers={**qa_handlers(stores, follow), **experiment_handlers(trials)},
        consumes=SERVICES[SERVICE].consumes,
        stores=[*stores.all(), *trials.all()],
        on_startup=[stores.ensure_indexes, trials.ensure_indexes],
        workers=[timers.run],
        parks=[UnknownEntity],
        resources=access.resolvers(stores),
    )


def _dashboard_key(settings: QaSettings) -> bytes:
    """The link key, never the token key: a leaked link must not help forge tokens, and
    rotating one must not revoke the other. A fixed key in development only."""
    if settings.dashboard_key is not None:
        return settings.dashboard_key.get_secret_value().encode()
    return DEV_DASHBOARD_KEY
