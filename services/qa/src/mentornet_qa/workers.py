"""QA's clock (chassis timers): proposals left unaccepted and cases past their SLA, per
match; the periodic fairness audit, per program; closing each month's sampling."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mentornet_chassis.messaging.timers import DueScanner, DueTask, firing

from .domain import triggers
from .domain.documents import Match
from .store import QaStores
from .usecases.audits import Auditor
from .usecases.sampling import Sampler

SERVICE = "qa"


def qa_timers(
    stores: QaStores,
    auditor: Auditor,
    sampler: Sampler,
    clock: Callable[[], datetime],
    poll_s: float,
    wake_relay: Callable[[], None],
) -> DueScanner:
    async def match_work(match_id: str, now: datetime) -> None:
        """A match's timers, seen with its program (its playbook and coordinators)."""
        known = await stores.matches.get(match_id)
        program = await stores.program(known["program_id"] if known else None)

        def due(state: Match, at: datetime) -> triggers.Changed:
            return triggers.due(state, at, program)

        await firing(stores.matches, due, SERVICE)(match_id, now)

    async def audit_work(program_id: str, now: datetime) -> None:
        await auditor.run(program_id, now, scheduled=True)

    async def period_work(key: str, now: datetime) -> None:
        await sampler.close(key, now)

    tasks = [
        DueTask(stores.matches_store, match_work),
        DueTask(stores.programs_store, audit_work),
        DueTask(stores.periods_store, period_work),
    ]
    return DueScanner(tasks, clock, poll_s, wake_relay)
