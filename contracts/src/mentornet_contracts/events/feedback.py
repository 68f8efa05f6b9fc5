"""Events for mentornet.feedback (to be filled)."""

from ..event import Event

EVENTS: tuple[type[Event], ...] = ()
