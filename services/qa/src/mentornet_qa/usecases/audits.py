"""Running the fairness audit (domain/fairness.py) for a program: each mentee's
outcomes gathered from QA's read models, the results kept with the program and
announced per attribute as `fairness.audit.completed`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from mentornet_chassis.errors import NotFound
from mentornet_chassis.store.typed import Change
from mentornet_contracts import new_envelope
from mentornet_contracts.events.qa import MAX_DISPARITIES, Disparity, FairnessAuditCompleted

from ..domain import audits, fairness
from ..domain.audits import AuditRecord
from ..domain.documents import Match
from ..domain.program import ProgramState
from ..store import QaStores
from .programs import ProgramRules

SERVICE = "qa"


class Auditor:
    def __init__(
        self,
        stores: QaStores,
        min_group: int,
        min_ratio: float,
        every: timedelta,
        clock: Callable[[], datetime],
    ) -> None:
        self.stores = stores
        self.min_group = min_group
        self.min_ratio = min_ratio
        self.every = every
        self.clock = clock

    async def audit_now(self, program_id: str) -> AuditRecord:
        """Audit a published program now (they also run every `every`)."""
        await ProgramRules(self.stores).published(program_id)
        return await self.run(program_id, self.clock())

    async def latest(self, program_id: str) -> AuditRecord:
        audit = (await ProgramRules(self.stores).published(program_id)).state.get("audit")
        if audit is None:
            raise NotFound("program_id", f"program {program_id} has not been audited yet")
        return audit

    async def outcomes(self, program_id: str) -> list[fairness.Outcome]:
        everyone = await self.stores.people_in(program_id)
        mentees = [
            p
            for p in everyone
            if (role := p["roles"].get("mentee")) is not None
            and role.get("program_id") == program_id
            and p["groups"]
        ]
        by_mentee: dict[str | None, list[Match]] = {}
        for match in await self.stores.matches_in(program_id):
            by_mentee.setdefault(match["mentee_id"], []).append(match)
        return [audits.outcome(p, by_mentee.get(p["participant_id"], [])) for p in mentees]

    async def run(self, program_id: str, now: datetime, *, scheduled: bool = False) -> AuditRecord:
        """Audit the program. A `scheduled` run (workers.py) writes only if the audit is
        still due, so two replicas do not both announce it."""
        results = fairness.audit(await self.outcomes(program_id), self.min_group, self.min_ratio)
        audit_id = f"fa-{uuid.uuid4().hex[:16]}"
        record = audits.record(audit_id, now, results, self.min_group, self.min_ratio)
        events = [
            new_envelope(
                FairnessAuditCompleted(
                    audit_id=audit_id,
                    program_id=program_id,
                    group_attribute=r.attribute,
                    disparities=tuple(
                        Disparity(metric=d.metric, group=d.group, ratio=d.ratio)
                        for d in sorted(r.disparities, key=lambda d: d.ratio)[:MAX_DISPARITIES]
                    ),
                ),
                SERVICE,
            )
            for r in results
        ]
        next_run = (now + self.every).timestamp()

        def decide(state: ProgramState | None) -> Change[ProgramState]:
            if state is None:
                return Change(None)
            due = state.get("due_epoch")
            if scheduled and (due is None or due > now.timestamp()):
                return Change(None)
            return Change({**state, "audit": record, "due_epoch": next_run}, events)

        await self.stores.programs.apply(program_id, decide)
        return record
