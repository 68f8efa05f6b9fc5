"""Preferences over HTTP: the person themself or a coordinator of their program reads
and replaces them; an unsubscribe link (signed, no token) turns one kind off at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.http.provided import provided
from mentornet_contracts.events.notifications import NotificationKind

from ..usecases.preferences import PreferenceDesk
from .views import PreferencesBody, PreferencesView

router = guarded_router(tags=["notification preferences"])
Desk = Annotated[PreferenceDesk, Depends(provided(PreferenceDesk))]
PATH = "/participants/{participant_id}/notification-preferences"
WHO = (Grant.SELF, Grant.COORDINATOR)


@router.get(
    PATH,
    response_model=PreferencesView,
    **allow("notifications.preferences.read", *WHO, on="participant", hide=True),
)
async def read(participant_id: str, desk: Desk) -> PreferencesView:
    """The person's channels, quiet hours, unsubscribed kinds and daily digest time
    (defaults if never set)."""
    return PreferencesView.of(await desk.of(participant_id))


@router.put(
    PATH,
    response_model=PreferencesView,
    **allow("notifications.preferences.write", *WHO, on="participant", hide=True),
)
async def replace(participant_id: str, body: PreferencesBody, desk: Desk) -> PreferencesView:
    """Replace the person's preferences; an unknown channel or kind is a 422 naming it."""
    prefs = await desk.replace(
        participant_id, body.channels, body.quiet(), body.unsubscribed, body.digest_at
    )
    return PreferencesView.of(prefs)


@router.get(
    "/unsubscribe",
    response_model=PreferencesView,
    **allow("notifications.unsubscribe", Grant.PUBLIC),
)
async def unsubscribe(
    desk: Desk,
    participant_id: Annotated[str, Query(max_length=64)],
    kind: NotificationKind,
    expires: Annotated[int, Query(ge=0)],
    key: Annotated[str, Query(max_length=64)],
) -> PreferencesView:
    """The one-click link in every message: that kind is not sent to the person again."""
    return PreferencesView.of(await desk.unsubscribe(participant_id, kind, expires, key))
