"""What feedback does about other services' news: a session that took place asks both
people for feedback; a program's new thresholds re-check each match's rubric risk; a
withdrawal closes the person's open requests; an erasure forgets the person's answers,
reports, goal progress, their end surveys and skill assessments, the words of outcomes
they wrote (and, for a mentee, their goals in the match, the assessments of their skills
and their milestones with the evidence) and everything else they wrote
(domain/outcome_words.forget)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.store.aggregates import Applied
from mentornet_chassis.store.typed import Change
from mentornet_contracts import Envelope, new_envelope
from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.sessions import Attendance, SessionCompleted

from ..domain import matches, outcome_words, requests, risk
from ..domain.state import Match, PersonStatus
from .common import SERVICE, Parts

log = get_logger(__name__)


def _forgotten(match: Match, person: str) -> Match:
    return outcome_words.forget(matches.forget(match, person), person)


@dataclass(frozen=True)
class FollowUps:
    parts: Parts

    async def session_completed(self, envelope: Envelope[SessionCompleted]) -> Applied:
        """A session that took place: both people still in the program are asked, on
        the program's current template version."""
        stores, event = self.parts.stores, envelope.event
        known = await stores.match(envelope.subject)
        if known is None or event.session_id not in known["sessions"]:
            raise UnknownEntity("session", event.session_id, "completed before it was scheduled")
        version, _ = await stores.template(known["program_id"])
        now, windows = self.parts.clock(), self.parts.windows
        people = [known["mentee_id"], known["mentor_id"]]
        gone = frozenset([p for p in people if not await self._active(p)])
        await stores.lookup("request").put(
            envelope.subject, [matches.short_id("fr", event.session_id, p) for p in people]
        )

        def decide(state: Match | None) -> Change[Match]:
            done = matches.completed(state, event, now)
            if event.attendance != Attendance.ATTENDED:
                return Change(done)
            asked, events = requests.requested(done, event.session_id, version, now, windows, gone)
            asked["due_epoch"] = requests.next_due(asked, windows)
            emitted = [new_envelope(e, SERVICE, caused_by=envelope) for e in events]
            return Change(asked, emitted)

        changed = await stores.match_states.apply(envelope.subject, decide, handled=envelope.id)
        return changed.untyped()

    async def _active(self, participant_id: str) -> bool:
        person = await self.parts.stores.person(participant_id)
        return person is None or person.get("status", PersonStatus.ACTIVE) == PersonStatus.ACTIVE

    async def session_scheduled(self, match_id: str, session_id: str) -> None:
        await self.parts.stores.lookup("session").put(match_id, [session_id])

    async def erased(self, person: str) -> None:
        """The person's answers, reports and progress go, their check-in parts lose
        their author, and the lookups that pointed at them and everything they wrote
        go. The words go last: until then the matches no longer name them, so nothing
        shows a request or report without its words. Runs again on every redelivery,
        so a crash part-way is finished then."""
        stores = self.parts.stores
        about: list[str] = []
        for match in await stores.matches_of(person):
            request_ids, item_ids = matches.parts_of(match, person)
            await stores.lookup("request").forget(request_ids)
            await stores.lookup("item").forget(item_ids)
            about += outcome_words.evidence_about(match, person)
        await self._each_match(person, lambda m: _forgotten(m, person))
        await stores.texts.delete(about)
        deleted = await stores.texts.delete_by_author(person)
        log.info("erased person's texts deleted", participant_id=person, texts=deleted)

    async def withdrawn(self, person: str) -> None:
        now = self.parts.clock()
        await self._each_match(person, lambda m: requests.close_for(m, person, now))

    async def thresholds_changed(
        self, program_id: str, threshold: float | None, caused_by: Envelope[Any]
    ) -> None:
        """Each of the program's matches' rubric risk checked against its new threshold."""
        for match in await self.parts.stores.matches_in(program_id):

            def decide(current: Match | None) -> Change[Match]:
                if current is None:
                    return Change(None)
                checked, risks = risk.rubric_check(current, threshold, None)
                events = [new_envelope(e, SERVICE, caused_by=caused_by) for e in risks]
                return Change(checked if checked != current else None, events)

            await self.parts.stores.match_states.apply(match["match_id"], decide)

    async def _each_match(self, participant_id: str, change: Callable[[Match], Match]) -> None:
        for match in await self.parts.stores.matches_of(participant_id):

            def decide(state: Match | None) -> Change[Match]:
                if state is None:
                    return Change(None)
                changed = change(state)
                return Change(changed if changed != state else None)

            await self.parts.stores.match_states.apply(match["match_id"], decide)
