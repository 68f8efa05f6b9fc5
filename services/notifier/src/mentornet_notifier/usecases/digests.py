"""Sending a daily digest when its time comes (domain/digest.py has the life of one).

Claim it; take the messages held for it (oldest first, at most MAX_ITEMS); drop those
of a kind the person unsubscribed from since (`skipped`: honoured at once); send the
rest as one e-mail; mark the digest `sent` with what it carried, then each message
`delivered`, then the digest. Messages held for it that it did not carry (they came
while it was being sent, or past the limit) are released to go on their own. A
failure is retried with backoff like a single message; when it cannot succeed, the
digest and every message it would have carried are dead-lettered with the reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from mentornet_chassis.store.typed import Change

from ..domain import digest, ledger
from ..domain.digest import Digest, DigestStatus
from ..domain.documents import Delivery, DeliveryStatus, Person, Preferences
from ..domain.readmodels import UTC_ZONE
from ..domain.templates import DigestItem, Rendered, render_digest
from ..store import SERVICE, NotifierStores
from .channels import EmailChannel, Outgoing, SendFailed
from .contacts import Contacts, ContactUnavailable
from .links import UnsubscribeLinks
from .sending import NO_CONTACT

DEFAULT_PROGRAM = "MentorNet"


class Digester:
    def __init__(
        self,
        stores: NotifierStores,
        contacts: Contacts,
        email: EmailChannel,
        links: UnsubscribeLinks,
        retry: ledger.Retry,
        lease_s: float,
    ) -> None:
        self.stores = stores
        self.contacts = contacts
        self.email = email
        self.links = links
        self.retry = retry
        self.lease_s = lease_s

    async def work(self, digest_id: str, now: datetime) -> None:
        """The chassis timers' work for one due digest."""
        at = now.timestamp()

        def take(state: Digest | None) -> Change[Digest]:
            return Change(digest.claim(state, at, self.lease_s) if state else None)

        claimed = await self.stores.digests.apply(digest_id, take)
        if not claimed.wrote or claimed.state is None:
            return
        if claimed.state["status"] == DigestStatus.SENT:
            await self._finish(claimed.state, at)
            return
        await self._send(claimed.state, at)

    async def _send(self, state: Digest, at: float) -> None:
        person = await self.stores.people.get(state["participant_id"])
        prefs = await self.stores.preferences.get(state["participant_id"])
        if person is None or person.get("erased") or prefs is None:
            await self._close(state, DigestStatus.DELIVERED, "nobody to send it to")
            return
        held = await self.stores.held_in(state["digest_id"], digest.MAX_ITEMS)
        wanted = [e for e in held if e["kind"] not in prefs["unsubscribed"]]
        for entry in held:
            if entry not in wanted:
                await self._set(entry, lambda s: Change(ledger.skipped(s, "unsubscribed")))
        if not wanted:
            await self._finish({**state, "items": []}, at)
            return
        try:
            await self._deliver(state, person, prefs, wanted)
        except (SendFailed, ContactUnavailable) as exc:
            await self._failed(state, exc, at, wanted)
            return
        items = [e["delivery_id"] for e in wanted]
        marked = await self._mark(state, lambda s: digest.sent(s, items, at, self.lease_s))
        if marked is not None:
            await self._finish(marked, at)

    async def _deliver(
        self, state: Digest, person: Person, prefs: Preferences, held: list[Delivery]
    ) -> None:
        contact = await self.contacts.lookup(state["participant_id"])
        if contact is None or not contact.email:
            raise SendFailed(NO_CONTACT, permanent=True)
        words = await self._words(person, prefs, held)
        await self.email.send(
            Outgoing(state["digest_id"], contact.email, words.subject, words.body, None)
        )

    async def _words(self, person: Person, prefs: Preferences, held: list[Delivery]) -> Rendered:
        program_id = person.get("program_id")
        program = await self.stores.programs.get(program_id) if program_id else None
        pid = person["participant_id"]
        items = [
            DigestItem(e["subject"] or "", e["body"] or "", self.links.url(pid, e["kind"]))
            for e in held
        ]
        zone = person.get("time_zone") or UTC_ZONE
        name = program["name"] if program else DEFAULT_PROGRAM
        return render_digest(name, items, prefs.get("digest_at") or "", zone)

    async def _failed(
        self, state: Digest, exc: SendFailed | ContactUnavailable, at: float, held: list[Delivery]
    ) -> None:
        reason = exc.reason if isinstance(exc, SendFailed) else str(exc)
        permanent = isinstance(exc, SendFailed) and exc.permanent
        if not permanent and state["attempts"] < self.retry.max_attempts:
            later = at + self.retry.backoff(state["attempts"])
            await self._mark(state, lambda s: digest.again(s, reason, later))
            return
        gone = partial(_dead, reason=reason, attempts=state["attempts"])
        for entry in held:
            await self._set(entry, gone)
        await self._close(state, DigestStatus.DEAD, reason)

    async def _finish(self, state: Digest, at: float) -> None:
        """Mark what it carried delivered and release what it did not; then close it."""
        for delivery_id in state["items"]:
            await self.stores.deliveries.apply(delivery_id, _delivered)
        for left in await self.stores.held_in(state["digest_id"]):
            await self._set(left, lambda s: Change(ledger.released(s, at)))
        await self._close(state, DigestStatus.DELIVERED)

    async def _close(self, state: Digest, status: DigestStatus, reason: str | None = None) -> None:
        await self._mark(state, lambda s: digest.finished(s, status, reason))

    async def _mark(self, state: Digest, step: Callable[[Digest], Digest]) -> Digest | None:
        """Record the next step if the digest is still ours (erasure may have removed it)."""

        def decide(found: Digest | None) -> Change[Digest]:
            if found is None or found["status"] not in (DigestStatus.SENDING, DigestStatus.SENT):
                return Change(None)
            return Change(step(found))

        changed = await self.stores.digests.apply(state["digest_id"], decide)
        return changed.state if changed.wrote else None

    async def _set(self, entry: Delivery, step: Callable[[Delivery], Change[Delivery]]) -> None:
        def decide(found: Delivery | None) -> Change[Delivery]:
            if found is None or found["status"] != DeliveryStatus.HELD:
                return Change(None)
            return step(found)

        await self.stores.deliveries.apply(entry["delivery_id"], decide)


def _delivered(found: Delivery | None) -> Change[Delivery]:
    if found is None or found["status"] != DeliveryStatus.HELD:
        return Change(None)
    done, event = ledger.delivered(found)
    return Change.announced(done, [event], SERVICE)


def _dead(found: Delivery, reason: str, attempts: int) -> Change[Delivery]:
    gone, event = ledger.dead({**found, "attempts": attempts}, reason)
    return Change.announced(gone, [event], SERVICE)
