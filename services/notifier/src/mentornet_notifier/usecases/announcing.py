"""From a fact to ledger entries: the messages it calls for (domain/messages.py), per
recipient and channel (e-mail; the webhook for people who turned it on: see
domain/preferences.routes) one `pending` entry with its words rendered once and its
time (after the person's quiet hours), written insert-if-absent under the entry's
stable id, so a fact delivered twice adds nothing. The .ics goes on e-mail only. For a
person with a daily digest, a message that can wait is written `held` under their next
digest (domain/digest.py), opened first if it is not there yet. A kind
the person unsubscribed from is recorded `skipped`; a template that fails is recorded
`dead` with NotificationDeadLettered, and the consumer moves on. Erased people are told
nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from mentornet_chassis.store.typed import Change
from mentornet_contracts import Envelope
from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.notifications import Channel, NotificationKind

from ..domain import digest, ledger, preferences, quiet
from ..domain.calendar import ics
from ..domain.digest import Digest
from ..domain.documents import Delivery, Person, Preferences, QuietHours
from ..domain.messages import Known, Message, messages
from ..domain.readmodels import UTC_ZONE, reachable
from ..domain.templates import TemplateFailed, render
from ..store import SERVICE, NotifierStores
from .links import UnsubscribeLinks

CHANNELS = tuple(Channel)
UNKNOWN_ALLOWED = frozenset({NotificationKind.ESCALATION_ASSIGNED})
"""Recipients the notifier may not know as participants (a case's owner, a coordinator):
told in UTC rather than waited for."""
DEFAULT_PROGRAM = "MentorNet"


class Announcer:
    def __init__(
        self,
        stores: NotifierStores,
        links: UnsubscribeLinks,
        clock: Callable[[], datetime],
        default_quiet: QuietHours | None = None,
        channels_on: frozenset[Channel] = frozenset(CHANNELS),
    ) -> None:
        self.stores = stores
        self.channels_on = channels_on
        self.links = links
        self.clock = clock
        self.default_quiet = default_quiet

    async def announce(self, envelope: Envelope[Any], state: object = None) -> None:
        event = envelope.event
        match_id = getattr(event, "match_id", None)
        session_id = getattr(event, "session_id", None)
        known = Known(
            match=await self.stores.matches.get(match_id) if match_id else None,
            session=await self.stores.sessions.get(session_id) if session_id else None,
        )
        for message in messages(event, known):
            for recipient in message.recipients:
                await self._to(envelope.id, message, recipient)

    async def _program(self, program_id: str | None) -> str:
        if program_id is None:
            return DEFAULT_PROGRAM
        found = await self.stores.programs.get(program_id)
        if found is None:
            raise UnknownEntity("program", program_id, "its name is not known yet")
        return found["name"]

    async def _person(self, recipient: str, kind: NotificationKind) -> Person:
        person = await self.stores.people.get(recipient)
        if person is None and kind not in UNKNOWN_ALLOWED:
            raise UnknownEntity("participant", recipient, "not registered here yet")
        return person or Person(participant_id=recipient, time_zone=UTC_ZONE)

    async def _to(self, source: str, message: Message, recipient: str) -> None:
        person = await self._person(recipient, message.kind)
        if not reachable(person):
            return
        program = await self._program(message.program_id or person.get("program_id"))
        zone = person.get("time_zone") or UTC_ZONE
        prefs = await self.stores.preferences.get(recipient) or preferences.defaults(
            recipient, self.default_quiet
        )
        now = self.clock()
        send_at = quiet.release(now, zone, prefs["quiet_hours"]).timestamp()
        for channel, skip in preferences.routes(prefs, message.kind, self.channels_on):
            draft = ledger.entry(message, source, recipient, channel, send_at)
            if skip is not None:
                await self._write(ledger.skipped(draft, skip), [])
                continue
            values = {
                **message.values,
                "program": program,
                "case_id": message.case_id,
                "unsubscribe_url": self.links.url(recipient, message.kind.value),
            }
            try:
                words = render(message.kind, values, zone)
            except TemplateFailed as exc:
                gone, event = ledger.dead(draft, str(exc))
                await self._write(gone, [event])
                continue
            invite = message.calendar if channel is Channel.EMAIL else None
            attached = ics(invite, now) if invite else None
            link = str(values["unsubscribe_url"])
            ready = ledger.rendered(draft, words.subject, words.body, attached, link)
            if digest.waits(message.kind, channel, prefs.get("digest_at")):
                ready = digest.held(ready, await self._digest(prefs, channel, zone, now))
            await self._write(ready, [])

    async def _digest(
        self, prefs: Preferences, channel: Channel, zone: str, now: datetime
    ) -> Digest:
        """The digest a message joins: the next one, or the one after it when the next
        is already being sent."""
        at = prefs.get("digest_at") or "00:00"
        due = digest.next_time(now, zone, at, prefs["quiet_hours"])
        while True:
            draft = digest.opened(prefs["participant_id"], channel, due)
            found: list[Digest] = []

            def open_if_absent(
                state: Digest | None, draft: Digest = draft, found: list[Digest] = found
            ) -> Change[Digest]:
                found.append(state or draft)
                return Change(None if state is not None else draft)

            await self.stores.digests.apply(draft["digest_id"], open_if_absent, new_likely=True)
            if digest.open_for_items(found[-1]):
                return found[-1]
            due = digest.next_time(due, zone, at, prefs["quiet_hours"])

    async def _write(self, entry: Delivery, events: list[Any]) -> None:
        def insert_if_absent(state: Delivery | None) -> Change[Delivery]:
            if state is not None:
                return Change(None)
            return Change.announced(entry, events, SERVICE)

        await self.stores.deliveries.apply(entry["delivery_id"], insert_if_absent, new_likely=True)
