"""What a match's feedback looks like to whoever reads it, and the summaries per
match, per mentor and per program (domain/visibility.py, domain/summary.py)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import summary, visibility
from ..domain.summary import Summary
from ..domain.visibility import MatchView, Viewer
from .common import Parts


@dataclass(frozen=True)
class FeedbackViews:
    parts: Parts

    async def of_match(self, match_id: str, viewer: Viewer) -> MatchView:
        stores = self.parts.stores
        match = await self.parts.known_match(match_id)
        return visibility.match_view(
            await stores.joined(match),
            viewer.reader(match),
            viewer.reading_as(match),
            await stores.private_of(match),
        )

    async def match_summary(self, match_id: str, viewer: Viewer) -> Summary:
        match = await self.parts.known_match(match_id)
        shown = visibility.redacted(
            match,
            viewer.reader(match),
            viewer.reading_as(match),
            await self.parts.stores.private_of(match),
        )
        return summary.summarize([shown], self.parts.clock().date())

    async def mentor_summary(self, mentor_id: str, viewer: Viewer) -> Summary:
        """What the mentor's mentees said, across every match the mentor has."""
        stores = self.parts.stores
        found = await stores.mentored_by(mentor_id)
        if viewer.is_self(mentor_id):
            found = [
                visibility.redacted(m, "mentor", mentor_id, await stores.private_of(m))
                for m in found
            ]
        else:
            found = [m for m in found if viewer.oversees(m["program_id"])]
        return summary.summarize(found, self.parts.clock().date(), role="mentee")

    async def program_summary(self, program_id: str) -> Summary:
        found = await self.parts.stores.matches_in(program_id)
        return summary.summarize(found, self.parts.clock().date())
