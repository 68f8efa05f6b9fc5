"""Events for mentornet.matches (to be filled)."""

from ..event import Event

EVENTS: tuple[type[Event], ...] = ()
