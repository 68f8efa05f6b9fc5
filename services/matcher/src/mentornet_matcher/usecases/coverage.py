"""The coverage board: each program's latest skill gaps, announced when they change.

coverage.gap.reported goes out when the set of gap skills changes and is not empty
(the largest gaps first, as many as the event holds),
so a schedule of batch runs does not repeat the same news every hour; when a set of
gaps empties, coverage.gap.closed says so.
"""

from __future__ import annotations

from mentornet_chassis.store.typed import Change, Documents
from mentornet_contracts.events.matches import (
    MAX_GAP_SKILLS,
    CoverageGapClosed,
    CoverageGapReported,
)

from ..domain.documents import CoverageReport
from .proposals import SERVICE


def _skill_ids(report: CoverageReport | None) -> list[str]:
    return [s["skill_id"] for s in report["skills"]] if report else []


class CoverageBoard:
    def __init__(self, store: Documents[CoverageReport]) -> None:
        self.store = store

    async def record(self, program_id: str, report: CoverageReport) -> None:
        def decide(current: CoverageReport | None) -> Change[CoverageReport]:
            if current == report:
                return Change(None)
            skills = _skill_ids(report)
            if not skills and _skill_ids(current):
                closed = CoverageGapClosed(program_id=program_id)
                return Change.announced(report, [closed], SERVICE)
            if not skills or skills == _skill_ids(current):
                return Change(report)
            event = CoverageGapReported(
                program_id=program_id,
                skill_ids=tuple(skills[:MAX_GAP_SKILLS]),
                waiting_mentees=report["waiting_mentees"],
                mentors_with_capacity=report["mentors_with_capacity"],
            )
            return Change.announced(report, [event], SERVICE)

        await self.store.apply(program_id, decide)

    async def latest(self, program_id: str) -> CoverageReport | None:
        return await self.store.get(program_id)
