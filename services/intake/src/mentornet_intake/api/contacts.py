"""Internal routes for other services: a participant's contact, asked at send time by the
notifier (issue 21), which keeps no address of its own. Service accounts only; the
answer is not to be cached."""

from __future__ import annotations

from fastapi import Response
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow

from ..domain.contact import Contact
from .parts import Contacting
from .views import ContactView

router = guarded_router(prefix="/internal/participants", tags=["internal"])


@router.get(
    "/{participant_id}/contact",
    response_model=ContactView,
    **allow("contacts.read", Grant.SERVICE, on="participant"),
)
async def contact(participant_id: str, response: Response, contacts: Contacting) -> Contact:
    """The participant's e-mail address, name and time zone, for a service about to send
    them something; 404 naming `participant_id` when they are unknown, withdrawn or
    erased."""
    response.headers["Cache-Control"] = "no-store"
    return await contacts.of(participant_id)
