"""Session reports and their action items. A report's words are kept apart from the
match (saving.py); what returns them joins them back in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mentornet_chassis.errors import NotFound
from mentornet_contracts import Event

from ..domain import reports, written
from ..domain.matches import short_id
from ..domain.reports import ReportBody
from ..domain.state import ActionItem, Match
from ..domain.visibility import ReportView, Viewer, report_view
from .common import Parts
from .saving import Words, change, report_words, save_with_words


@dataclass(frozen=True)
class Reports:
    parts: Parts

    async def file(self, session_id: str, body: ReportBody) -> ReportView:
        """The mentor's report: agenda, notes (private to the program team), action
        items and risk flags (each flag is a risk signal for QA). One per session."""
        match = await self.parts.session_match(session_id)
        report_id = short_id("sr", session_id)
        items = [reports.action_item_id(report_id, n) for n in range(len(body.action_items))]
        await self.parts.stores.lookup("item").put(match["match_id"], items)
        now = self.parts.clock()
        text_id, text = reports.text_of(report_id, body)
        words = Words(text_id, match["mentor_id"], text)

        def step(m: Match) -> tuple[Match, Sequence[Event]]:
            return reports.file(m, session_id, match["mentor_id"], body, now)

        state = await save_with_words(self.parts, match, words, step, report_words(report_id))
        report = written.with_report_text(state["reports"][report_id], {text_id: text})
        return report_view(report, "mentor")

    async def read(self, session_id: str, viewer: Viewer) -> ReportView:
        match = await self.parts.session_match(session_id)
        report = match["reports"].get(short_id("sr", session_id))
        if report is None:
            raise NotFound("session_id", f"no report for session {session_id} yet")
        texts = await self.parts.stores.texts.get_many(written.named(report))
        return report_view(written.with_report_text(report, texts), viewer.reader(match))

    async def complete(self, item_id: str) -> ActionItem:
        """Done: by its owner, the mentor or a coordinator."""
        match = await self.parts.stores.match_of("item", item_id)
        if match is None:
            raise NotFound("item_id", f"no action item {item_id}")
        now = self.parts.clock()

        def step(m: Match) -> tuple[Match, Sequence[Event]]:
            done, event = reports.complete(m, item_id, now)
            return done, [event]

        state = await change(self.parts, match["match_id"], step)
        report, _ = reports.find_item(state, item_id)
        texts = await self.parts.stores.texts.get_many(written.named(report))
        return written.with_report_text(report, texts)["items"][item_id]
