"""Events for mentornet.programs (to be filled)."""

from ..event import Event

EVENTS: tuple[type[Event], ...] = ()
