"""Dead letters without an outbox, for handler tests with no store: each letter goes
straight to a publish function (a recording one), once per origin like the real store."""

from __future__ import annotations

from mentornet_chassis.messaging.deadletters import Keep
from mentornet_chassis.messaging.outgoing import OutgoingRecord, Publish


def kept_by(publish: Publish) -> Keep:
    seen: set[str] = set()

    async def keep(origin: str, letter: OutgoingRecord) -> bool:
        if origin in seen:
            return False
        await publish(letter)
        seen.add(origin)
        return True

    return keep
