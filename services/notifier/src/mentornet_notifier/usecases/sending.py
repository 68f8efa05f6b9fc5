"""Sending what is due, exactly once in effect.

For each due ledger entry: claim it (`sending`, with a lease, in one conditional
write; another replica that loses the race does nothing), hand the message to its
channel (e-mail: ask intake for the address first; the webhook: a JSON POST naming the
participant id, no address needed, so intake is not asked), then mark it `delivered`
and announce NotificationDelivered in the same write (the outbox). A failure is retried with
exponential backoff; after `max_attempts`, or when it cannot succeed (intake knows no
address: "no contact"; the webhook answered 4xx), the entry is `dead` with
NotificationDeadLettered and the reason.

The window: if the process dies after the channel accepted a message and before the
entry is marked, the lease runs out and the message is sent again. So a crash can
cause at most one duplicate per message in flight (`send_concurrency` of them at most),
under the same delivery id (the e-mail's X-MentorNet-Delivery-Id, the webhook's
Idempotency-Key); nothing is ever lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mentornet_chassis.process.logging import get_logger
from mentornet_chassis.store.typed import Change
from mentornet_contracts.events.notifications import Channel

from ..domain import ledger
from ..domain.documents import Delivery, DeliveryStatus
from ..store import SERVICE, NotifierStores
from .channels import EmailChannel, Outgoing, SendFailed
from .contacts import Contacts, ContactUnavailable
from .webhook import WebhookChannel

log = get_logger(__name__)
NO_CONTACT = "no contact: intake knows no e-mail address for this participant"
Decide = Callable[[Delivery | None], Change[Delivery]]


class Sender:
    def __init__(
        self,
        stores: NotifierStores,
        contacts: Contacts,
        email: EmailChannel,
        webhook: WebhookChannel,
        retry: ledger.Retry,
        lease_s: float,
    ) -> None:
        self.stores = stores
        self.contacts = contacts
        self.email = email
        self.webhook = webhook
        self.retry = retry
        self.lease_s = lease_s

    async def work(self, delivery_id: str, now: datetime) -> None:
        """The chassis timers' work for one due entry."""
        at = now.timestamp()

        def take(state: Delivery | None) -> Change[Delivery]:
            return Change(ledger.claim(state, at, self.lease_s) if state else None)

        claimed = await self.stores.deliveries.apply(delivery_id, take)
        if not claimed.wrote or claimed.state is None:
            return
        await self._send(claimed.state, at)

    async def _send(self, entry: Delivery, at: float) -> None:
        person = await self.stores.people.get(entry["participant_id"])
        if person is not None and person.get("erased"):
            await self.stores.drop_delivery(entry["delivery_id"])  # written as they were erased
            return
        try:
            await self._deliver(entry)
        except (SendFailed, ContactUnavailable) as exc:
            reason = exc.reason if isinstance(exc, SendFailed) else str(exc)
            permanent = isinstance(exc, SendFailed) and exc.permanent
            log.warning("delivery failed", delivery_id=entry["delivery_id"], reason=reason)
            await self._mark(entry, lambda s: self._failed(s, reason, at, permanent))
            return
        await self._mark(entry, self._delivered)

    async def _deliver(self, entry: Delivery) -> None:
        if entry["body"] is None or entry["channel"] not in (Channel.EMAIL, Channel.WEBHOOK):
            raise SendFailed(f"nothing to send on {entry['channel']}", permanent=True)
        if entry["channel"] == Channel.WEBHOOK:
            await self.webhook.send(entry)
            return
        contact = await self.contacts.lookup(entry["participant_id"])
        if contact is None or not contact.email:
            raise SendFailed(NO_CONTACT, permanent=True)
        message = Outgoing(
            entry["delivery_id"], contact.email, entry["subject"] or "", entry["body"], entry["ics"]
        )
        await self.email.send(message)

    def _delivered(self, state: Delivery) -> Change[Delivery]:
        done, event = ledger.delivered(state)
        return Change.announced(done, [event], SERVICE)

    def _failed(self, state: Delivery, reason: str, at: float, permanent: bool) -> Change[Delivery]:
        after, events = ledger.failed(state, reason, at, self.retry, permanent=permanent)
        return Change.announced(after, events, SERVICE)

    async def _mark(self, entry: Delivery, step: Callable[[Delivery], Change[Delivery]]) -> None:
        """Record the outcome if the entry is still ours (erasure may have removed it)."""

        def decide(state: Delivery | None) -> Change[Delivery]:
            if state is None or state["status"] != DeliveryStatus.SENDING:
                return Change(None)
            return step(state)

        await self.stores.deliveries.apply(entry["delivery_id"], decide)
