"""Running the fairness audit (domain/fairness.py) for a program: each mentee's
outcomes gathered from QA's read models, the results kept with the program and
announced per attribute as `fairness.audit.completed`."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from statistics import fmean
from typing import Any

from mentornet_chassis.store.aggregates import Decision, State
from mentornet_contracts import new_envelope
from mentornet_contracts.events.qa import MAX_DISPARITIES, Disparity, FairnessAuditCompleted

from .domain import fairness, matches
from .store import QaStores

SERVICE = "qa"
EARLY = ("withdrawn", "stalled", "other")


def outcome(person: State, theirs: list[State]) -> fairness.Outcome:
    since = (person["roles"].get("mentee") or {}).get("since")
    confirmed = sorted(
        (m for m in theirs if m.get("confirmed_at")), key=lambda m: m["confirmed_at"]
    )
    first = confirmed[0] if confirmed else None
    days = None
    if first is not None and since:
        days = (
            datetime.fromisoformat(first["confirmed_at"]) - datetime.fromisoformat(since)
        ).total_seconds() / 86400
    rubric = [score for m in theirs for score in matches.mentee_rubric(m)]
    return fairness.Outcome(
        groups=person["groups"],
        matched=first is not None,
        days_to_match=days,
        match_score=first.get("score") if first else None,
        rematched=any(m.get("end_reason") == "rematched" for m in theirs),
        closed_early=any(m.get("end_reason") in EARLY for m in theirs),
        rubric_average=fmean(rubric) if rubric else None,
    )


class Auditor:
    def __init__(
        self, stores: QaStores, min_group: int, min_ratio: float, every: timedelta
    ) -> None:
        self.stores = stores
        self.min_group = min_group
        self.min_ratio = min_ratio
        self.every = every

    async def outcomes(self, program_id: str) -> list[fairness.Outcome]:
        everyone = await self.stores.people_in(program_id)
        mentees = [
            p
            for p in everyone
            if (p["roles"].get("mentee") or {}).get("program_id") == program_id and p["groups"]
        ]
        by_mentee: dict[str, list[State]] = {}
        for match in await self.stores.matches_in(program_id):
            by_mentee.setdefault(match["mentee_id"], []).append(match)
        return [outcome(p, by_mentee.get(p["participant_id"], [])) for p in mentees]

    async def run(
        self, program_id: str, now: datetime, *, scheduled: bool = False
    ) -> dict[str, Any]:
        """Audit the program. A `scheduled` run (the timers) writes only if the audit is
        still due, so two replicas do not both announce it."""
        results = fairness.audit(await self.outcomes(program_id), self.min_group, self.min_ratio)
        audit_id = f"fa-{uuid.uuid4().hex[:16]}"
        record = {
            "audit_id": audit_id,
            "audited_at": now.isoformat(),
            "min_group": self.min_group,
            "min_ratio": self.min_ratio,
            "attributes": [
                {
                    "attribute": r.attribute,
                    "groups": r.groups,
                    "disparities": [vars(d) for d in r.disparities],
                }
                for r in results
            ],
            "disparities": sum(len(r.disparities) for r in results),
        }
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

        def decide(state: State | None) -> Decision:
            if state is None:
                return Decision(state=None)
            due = state.get("due_epoch")
            if scheduled and (due is None or due > now.timestamp()):
                return Decision(state=None)
            return Decision({**state, "audit": record, "due_epoch": next_run}, events)

        await self.stores.programs.apply(program_id, decide)
        return record
