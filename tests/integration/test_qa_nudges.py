"""QA and issue 21 on the real broker and store: a stall raises an escalation whose
action is `nudge`; the notifier's notification.delivered events for it (stall_nudge,
naming the case) are recorded on the case, who of the pair and on which channel, once
per delivery however often one is redelivered; other kinds and unknown matches change
nothing, and GET /programs/{id}/cases shows the nudges."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from mentornet_contracts.events.notifications import (
    Channel,
    NotificationDelivered,
    NotificationKind,
)
from mentornet_contracts.events.sessions import MatchStalled, StallReason
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.poll import eventually

from tests.conftest import ServiceOn
from tests.integration.test_qa import NOW, a_program, coordinator_sees, qa_events
from tests.support.events import publish

pytestmark = pytest.mark.integration

LATER = NOW + timedelta(hours=1)


def delivered(
    who: str,
    delivery: str,
    match_id: str,
    case_id: str,
    kind: NotificationKind = NotificationKind.STALL_NUDGE,
    channel: Channel = Channel.EMAIL,
) -> NotificationDelivered:
    return NotificationDelivered(
        participant_id=who,
        delivery_id=delivery,
        source_event_id=f"ev-{delivery}",
        kind=kind,
        channel=channel,
        match_id=match_id,
        case_id=case_id,
        attempts=1,
    )


async def test_delivered_nudges_are_recorded_once_on_their_case(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    async with qa_on(MovableClock(NOW)) as qa:
        [(match_id, mentor, mentee)] = await a_program(stack, unique, pairs=1)
        program_id = f"prog-{unique}"
        stall = MatchStalled(match_id=match_id, reason=StallReason.NO_ACTIVITY, detail="quiet")
        await publish(stack, stall, at=NOW)
        [raised] = await qa_events(stack, match_id, "escalation.raised")
        assert raised["action"] == "nudge"
        case_id = raised["case_id"]
        first = delivered(mentee, f"nd-1-{unique}", match_id, case_id)
        await publish(
            stack,
            first,
            first,  # a redelivery: a new envelope, the same delivery
            delivered(
                mentee, f"nd-r-{unique}", match_id, case_id, NotificationKind.SESSION_REMINDER
            ),
            delivered(mentee, f"nd-x-{unique}", f"m-unknown-{unique}", "esc-unknown"),
            delivered(mentee, f"nd-3-{unique}", match_id, case_id),
            delivered(mentor, f"nd-2-{unique}", match_id, case_id, channel=Channel.WEBHOOK),
            at=LATER,
        )

        async def nudged() -> list[dict[str, Any]] | None:
            listed = await coordinator_sees(qa, unique, f"/programs/{program_id}/cases")
            [case] = [c for c in listed["cases"] if c["case_id"] == case_id]
            found: list[dict[str, Any]] = case.get("nudges", [])
            ids = {n["delivery_id"] for n in found}
            return found if {f"nd-2-{unique}", f"nd-3-{unique}"} <= ids else None

        found = await eventually(nudged, what="the mentee's last and the mentor's nudge")
        assert sorted((n["delivery_id"], n["who"], n["channel"], n["at"]) for n in found) == [
            (f"nd-1-{unique}", "mentee", "email", LATER.isoformat()),
            (f"nd-2-{unique}", "mentor", "webhook", LATER.isoformat()),
            (f"nd-3-{unique}", "mentee", "email", LATER.isoformat()),
        ]
