"""A service process whose one handler is deliberately slow: it writes a marker file
when it starts, sleeps SLOW_HANDLER_S, then saves an aggregate and emits an event.
The SIGTERM drain test stops it while the handler sleeps."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from mentornet_chassis.process.runner import run_service
from mentornet_chassis.process.runtime import Runtime, ServiceParts
from mentornet_chassis.process.settings import load_settings
from mentornet_chassis.store.aggregates import Applied, Decision, State
from mentornet_contracts import Envelope, new_envelope
from mentornet_contracts.catalogue import PARTICIPANTS
from mentornet_contracts.events.matches import MenteeWaitlisted, WaitlistReason
from mentornet_contracts.events.participants import MenteeRegistered
from mentornet_matcher.settings import MatcherSettings

SERVICE = "matcher"
"""It runs under the matcher's name: that service may publish on mentornet.matches."""
SLOW = "slow_aggregates"


def build(runtime: Runtime) -> ServiceParts:
    store = runtime.aggregates(SLOW)
    marker = Path(os.environ["SLOW_MARKER"])
    pause_s = float(os.environ["SLOW_HANDLER_S"])

    async def handle(envelope: Envelope[Any]) -> Applied:
        await asyncio.to_thread(marker.write_text, envelope.id)
        await asyncio.sleep(pause_s)
        event: MenteeRegistered = envelope.event

        def decide(state: State | None) -> Decision:
            waitlisted = MenteeWaitlisted(
                mentee_id=event.participant_id,
                program_id=event.program_id,
                reasons=(WaitlistReason.NO_CAPACITY,),
            )
            return Decision(
                state={"handled": envelope.id},
                events=[new_envelope(waitlisted, SERVICE, caused_by=envelope)],
            )

        return await store.apply(envelope.subject, decide, handled=envelope.id)

    return ServiceParts(
        handlers={MenteeRegistered: handle}, consumes=(PARTICIPANTS,), stores=[store]
    )


if __name__ == "__main__":
    run_service(SERVICE, load_settings(MatcherSettings, SERVICE), build)
