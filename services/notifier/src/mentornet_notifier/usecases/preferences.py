"""Preferences over HTTP: read and replace a person's, unsubscribe by signed link
(honoured at once: the next message of that kind is recorded `skipped`), and the dead
letters operators look at."""

from __future__ import annotations

from collections.abc import Sequence

from mentornet_chassis.errors import Forbidden, NotFound
from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.notifications import Channel, NotificationKind

from ..domain import preferences
from ..domain.documents import Delivery, Preferences, QuietHours
from ..store import NotifierStores
from .links import UnsubscribeLinks


class PreferenceDesk:
    def __init__(
        self,
        stores: NotifierStores,
        links: UnsubscribeLinks,
        default_quiet: QuietHours | None = None,
    ) -> None:
        self.stores = stores
        self.links = links
        self.default_quiet = default_quiet

    async def _known(self, participant_id: str) -> None:
        person = await self.stores.people.get(participant_id)
        if person is None or person.get("erased"):
            raise NotFound("participant_id", f"no participant {participant_id}")

    async def of(self, participant_id: str) -> Preferences:
        await self._known(participant_id)
        found = await self.stores.preferences.get(participant_id)
        return found or preferences.defaults(participant_id, self.default_quiet)

    async def replace(
        self,
        participant_id: str,
        channels: Sequence[Channel],
        quiet: QuietHours | None,
        unsubscribed: Sequence[NotificationKind],
        digest_at: str | None = None,
    ) -> Preferences:
        await self._known(participant_id)
        new = preferences.chosen(participant_id, channels, quiet, unsubscribed, digest_at)

        def decide(state: Preferences | None) -> Change[Preferences]:
            return Change(None if state == new else new)

        await self.stores.preferences.apply(participant_id, decide)
        return new

    async def unsubscribe(
        self, participant_id: str, kind: NotificationKind, expires: int, key: str
    ) -> Preferences:
        if not self.links.valid(participant_id, kind.value, expires, key):
            raise Forbidden("key", "the link is not valid or has expired")
        await self._known(participant_id)

        def decide(state: Preferences | None) -> Change[Preferences]:
            return Change(preferences.unsubscribe(state, participant_id, kind))

        changed = await self.stores.preferences.apply(participant_id, decide)
        return changed.state or preferences.defaults(participant_id)

    async def dead_letters(self) -> list[Delivery]:
        return await self.stores.dead_letters()
