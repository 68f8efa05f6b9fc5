"""Events for mentornet.sessions (to be filled)."""

from ..event import Event

EVENTS: tuple[type[Event], ...] = ()
