"""Events for mentornet.qa (to be filled)."""

from ..event import Event

EVENTS: tuple[type[Event], ...] = ()
