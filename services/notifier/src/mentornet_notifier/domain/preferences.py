"""A person's preferences: which channels they get messages on (e-mail unless they
turn it off; the webhook only if they turn it on), their quiet hours, and the kinds
they unsubscribed from."""

from __future__ import annotations

from collections.abc import Sequence

from mentornet_contracts.events.notifications import Channel, NotificationKind

from .documents import Preferences, QuietHours

DEFAULT_CHANNELS = (Channel.EMAIL,)


def defaults(participant_id: str, quiet: QuietHours | None = None) -> Preferences:
    return Preferences(
        participant_id=participant_id,
        channels=[c.value for c in DEFAULT_CHANNELS],
        quiet_hours=quiet,
        unsubscribed=[],
    )


def chosen(
    participant_id: str,
    channels: Sequence[Channel],
    quiet: QuietHours | None,
    unsubscribed: Sequence[NotificationKind],
    digest_at: str | None = None,
) -> Preferences:
    """The preferences as the person set them (each channel and kind once, in order)."""
    return Preferences(
        participant_id=participant_id,
        channels=list(dict.fromkeys(c.value for c in channels)),
        quiet_hours=quiet,
        unsubscribed=list(dict.fromkeys(k.value for k in unsubscribed)),
        digest_at=digest_at,
    )


def unsubscribe(
    state: Preferences | None, participant_id: str, kind: NotificationKind
) -> Preferences | None:
    """The preferences with `kind` unsubscribed (None: it already was)."""
    current = state or defaults(participant_id)
    if kind.value in current["unsubscribed"]:
        return None if state is not None else current
    return {**current, "unsubscribed": [*current["unsubscribed"], kind.value]}


def wants(prefs: Preferences, kind: NotificationKind, channel: Channel) -> bool:
    return channel.value in prefs["channels"] and kind.value not in prefs["unsubscribed"]


def routes(
    prefs: Preferences, kind: NotificationKind, on: frozenset[Channel]
) -> list[tuple[Channel, str | None]]:
    """The channels a message of `kind` gets a ledger entry on, each with why it is
    skipped (None: it is sent). A default channel (e-mail) always gets one, sent or
    recorded skipped; another (the webhook) only when the person chose it, so people
    who never turned it on leave no trace of it."""
    found: list[tuple[Channel, str | None]] = []
    for channel in Channel:
        if channel not in DEFAULT_CHANNELS and channel.value not in prefs["channels"]:
            continue
        if channel not in on:
            found.append((channel, f"{channel.value} is off here"))
        elif not wants(prefs, kind, channel):
            found.append((channel, "unsubscribed or channel off"))
        else:
            found.append((channel, None))
    return found
