"""The notifier's composition root: the only place its parts are built and wired.

`clock` is the one source of "now" (when a message may go, quiet hours, retries), so
tests can run the real service on a controllable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mentornet_chassis.http.auth import DEV_KEY, mint
from mentornet_chassis.process.runtime import Runtime, ServiceParts
from mentornet_contracts.catalogue import SERVICES
from mentornet_contracts.errors import UnknownEntity
from mentornet_contracts.events.notifications import Channel

from .api import ROUTERS, access
from .domain.documents import QuietHours
from .domain.ledger import Retry
from .handlers import SIDE_BY_SIDE, notifier_handlers
from .settings import NotifierSettings
from .store import COLLECTIONS, NotifierStores
from .usecases.announcing import Announcer
from .usecases.channels import EmailChannel
from .usecases.contacts import Contacts
from .usecases.digests import Digester
from .usecases.erasure import Eraser
from .usecases.links import UnsubscribeLinks
from .usecases.preferences import PreferenceDesk
from .usecases.sending import Sender
from .usecases.webhook import WebhookChannel
from .workers import delivery_timers

SERVICE = "notifier"
SETTINGS = NotifierSettings
DEV_UNSUBSCRIBE_KEY = b"mentornet-local-unsubscribe-link-key"
TOKEN_TTL_S = 3600


def build(runtime: Runtime, clock: Callable[[], datetime] | None = None) -> ServiceParts:
    clock = clock or runtime.clock
    settings = runtime.settings_as(NotifierSettings)
    stores = NotifierStores(*(runtime.aggregates(name) for name in COLLECTIONS))
    links = UnsubscribeLinks(
        _unsubscribe_key(settings), settings.public_url, settings.unsubscribe_link_days, clock
    )
    quiet = _default_quiet(settings)
    email = EmailChannel(settings.email_url, settings.sender, settings.send_timeout_seconds)
    secret = settings.webhook_secret
    webhook = WebhookChannel(
        settings.webhook_url,
        settings.send_timeout_seconds,
        secret.get_secret_value().encode() if secret is not None else None,
    )
    channels_on = frozenset(
        channel
        for channel, channel_on in ((Channel.EMAIL, email), (Channel.WEBHOOK, webhook))
        if channel_on.on
    )
    announcer = Announcer(stores, links, clock, quiet, channels_on)
    retry = Retry(
        settings.max_attempts, settings.backoff_base_seconds, settings.backoff_cap_seconds
    )
    contacts = Contacts(settings.intake_url, _service_token(settings))
    sender = Sender(stores, contacts, email, webhook, retry, settings.lease_seconds)
    digester = Digester(stores, contacts, email, links, retry, settings.lease_seconds)
    timers = delivery_timers(
        stores,
        sender,
        digester,
        clock,
        settings.poll_seconds,
        runtime.wake_relay,
        settings.send_concurrency,
    )
    return ServiceParts(
        side_by_side=SIDE_BY_SIDE,
        clock=clock,
        routers=ROUTERS,
        provides=[PreferenceDesk(stores, links, quiet)],
        handlers=notifier_handlers(stores, announcer, Eraser(stores)),
        consumes=SERVICES[SERVICE].consumes,
        stores=stores.all(),
        on_startup=[stores.ensure_indexes],
        workers=[timers.run],
        parks=[UnknownEntity],
        resources=access.resolvers(stores),
    )


def _unsubscribe_key(settings: NotifierSettings) -> bytes:
    """The link key, never the token key; a fixed key in development only (production
    settings refuse to start without one)."""
    if settings.unsubscribe_key is not None:
        return settings.unsubscribe_key.get_secret_value().encode()
    return DEV_UNSUBSCRIBE_KEY


def _default_quiet(settings: NotifierSettings) -> QuietHours | None:
    if settings.quiet_start is None or settings.quiet_end is None:
        return None
    return QuietHours(start=settings.quiet_start, end=settings.quiet_end)


def _service_token(settings: NotifierSettings) -> Callable[[], str]:
    """How the notifier authenticates to intake: the configured token (with an OIDC
    provider, a client-credentials token), else a short-lived HS256 token with the
    service role, minted under the deployment's shared key (the development key locally)."""
    if settings.intake_token is not None:
        fixed = settings.intake_token.get_secret_value()
        return lambda: fixed
    key = settings.auth.hs256_key
    secret = key.get_secret_value() if key is not None else DEV_KEY
    return lambda: mint(secret, SERVICE, ["service"], ttl_s=TOKEN_TTL_S)
