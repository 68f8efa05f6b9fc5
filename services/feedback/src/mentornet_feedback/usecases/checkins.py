"""Async check-ins (domain/checkins.py): read one as the caller may see it, take the
mentee's reflection and the mentor's reply. Each part's words are kept apart from the
match (saving.py) and go with their author on erasure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mentornet_contracts import Event
from mentornet_contracts.events.common import Role

from ..domain import checkin_words, checkins
from ..domain.checkin_words import CheckinView, ReflectionBody, ReplyBody
from ..domain.state import Match
from ..domain.visibility import Reader, Viewer
from .common import Parts
from .saving import Named, Words, save_with_words


def _part_words(session_id: str, role: Role) -> Named:
    def named(state: Match) -> str | None:
        return checkins.words_of(state, session_id, role)

    return named


@dataclass(frozen=True)
class Checkins:
    parts: Parts

    async def read(self, session_id: str, viewer: Viewer) -> CheckinView:
        """The check-in, where it stands now and the words the viewer may see."""
        match = await self.parts.session_match(session_id)
        return await self._shown(match, session_id, viewer.reader(match))

    async def of_match(self, match_id: str, viewer: Viewer) -> list[CheckinView]:
        """The match's check-ins in their order, each as `read` shows it."""
        match = await self.parts.known_match(match_id)
        found = sorted(match.get("checkins", {}).values(), key=lambda c: c["sequence"])
        texts = await self.parts.stores.texts.get_many(
            [text_id for checkin in found for text_id in checkins.named(checkin)]
        )
        now, reader = self.parts.clock(), viewer.reader(match)
        return [
            checkin_words.view(match, c, checkins.state_of(c, now), texts, reader) for c in found
        ]

    async def reflect(self, session_id: str, body: ReflectionBody) -> CheckinView:
        """The mentee's reflection: once, while the check-in is open."""
        return await self._submit(session_id, Role.MENTEE, body)

    async def reply(self, session_id: str, body: ReplyBody) -> CheckinView:
        """The mentor's reply: once, after the reflection, while the check-in is open."""
        return await self._submit(session_id, Role.MENTOR, body)

    async def _submit(
        self, session_id: str, role: Role, body: ReflectionBody | ReplyBody
    ) -> CheckinView:
        match = await self.parts.session_match(session_id)
        checkins.checkin_of(match, session_id)
        said = checkin_words.words(body)
        text_id = checkin_words.words_id(session_id, role, said)
        author = match["mentee_id"] if role == Role.MENTEE else match["mentor_id"]
        now = self.parts.clock()

        def step(state: Match) -> tuple[Match, Sequence[Event]]:
            given, event = checkins.submit(state, session_id, role, text_id, now)
            return given, [event]

        words = Words(text_id, author, said)
        state = await save_with_words(self.parts, match, words, step, _part_words(session_id, role))
        reader: Reader = "mentee" if role == Role.MENTEE else "mentor"
        return await self._shown(state, session_id, reader)

    async def _shown(self, match: Match, session_id: str, reader: Reader) -> CheckinView:
        checkin = checkins.checkin_of(match, session_id)
        texts = await self.parts.stores.texts.get_many(checkins.named(checkin))
        state = checkins.state_of(checkin, self.parts.clock())
        return checkin_words.view(match, checkin, state, texts, reader)
