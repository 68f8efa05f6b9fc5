"""The coverage board: each program's latest skill gaps, announced when they change.

coverage.gap.reported goes out when the set of gap skills changes and is not empty
(the largest gaps first, as many as the event holds),
so a schedule of batch runs does not repeat the same news every hour; when a set of
gaps empties, coverage.gap.closed says so.
"""

from __future__ import annotations

from typing import cast

from mentornet_chassis.store.aggregates import AggregateStore, Decision, State
from mentornet_contracts import new_envelope
from mentornet_contracts.events.matches import (
    MAX_GAP_SKILLS,
    CoverageGapClosed,
    CoverageGapReported,
)

from ..domain.documents import CoverageReport
from ..store import stored
from .proposals import SERVICE


def _skill_ids(report: CoverageReport | None) -> list[str]:
    return [s["skill_id"] for s in report["skills"]] if report else []


class CoverageBoard:
    def __init__(self, store: AggregateStore) -> None:
        self.store = store

    async def record(self, program_id: str, report: CoverageReport) -> None:
        def decide(state: State | None) -> Decision:
            current = cast(CoverageReport | None, state)
            if current == report:
                return Decision(state=None)
            skills = _skill_ids(report)
            if not skills and _skill_ids(current):
                closed = CoverageGapClosed(program_id=program_id)
                return Decision(state=stored(report), events=[new_envelope(closed, SERVICE)])
            if not skills or skills == _skill_ids(current):
                return Decision(state=stored(report))
            event = CoverageGapReported(
                program_id=program_id,
                skill_ids=tuple(skills[:MAX_GAP_SKILLS]),
                waiting_mentees=report["waiting_mentees"],
                mentors_with_capacity=report["mentors_with_capacity"],
            )
            return Decision(state=stored(report), events=[new_envelope(event, SERVICE)])

        await self.store.apply(program_id, decide)

    async def latest(self, program_id: str) -> CoverageReport | None:
        return cast(CoverageReport | None, await self.store.get_state(program_id))
