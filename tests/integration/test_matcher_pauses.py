"""Matcher on the real broker: a confirmed match of an async program is confirmed as
async; over HTTP a coordinator's pause is refused beyond the program's longest pause
(422 naming `weeks`), the pair's first request waits for the other (202) and can be
withdrawn (DELETE .../pause-request, 409 once none is left), the pause publishes
match.paused, a second pause and a resume of an active match are 409s with the state;
one person asking to end the pair's pause waits for the other (202) and may withdraw,
and a resume publishes match.resumed; QA's escalation step `pause` pauses the match
for the program's longest pause with a neutral reason, and neither person alone can
end it (409 naming `pause`)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest
from mentornet_contracts.catalogue import MATCHES
from mentornet_contracts.events.common import SessionFormat
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_contracts.events.qa import (
    EscalationAction,
    EscalationRaised,
    EscalationTrigger,
    Severity,
)
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.integration.test_matcher_proposals import goal, proposals
from tests.support.events import events_of, person, program, publish
from tests.support.helpers import matcher_knows, token

pytestmark = pytest.mark.integration


async def confirmed_pair(
    stack: Endpoints, matcher: RunningService, unique: str, **rules: Any
) -> tuple[str, str, str, str]:
    program_id = f"prog-{unique}"
    ada, mentor_id = f"ada-{unique}", f"m-{unique}"
    await publish(
        stack,
        program(program_id).model_copy(update=rules),
        person(
            MentorRegistered, mentor_id, program_id, skills=[{"skill_id": "python", "level": 5}]
        ),
    )
    await eventually(partial(matcher_knows, matcher, mentor_id), what="the mentor in the matcher")
    await publish(stack, person(MenteeRegistered, ada, program_id, goals=goal("python")))
    [proposal] = await proposals(stack, ada, 1)
    accepted = await matcher.http.post(
        f"/matches/{proposal['match_id']}/accept", headers=token(mentor_id, "mentor")
    )
    assert accepted.status_code == 200, accepted.text
    return program_id, proposal["match_id"], ada, mentor_id


def of_match(match_id: str) -> Any:
    return lambda event: event["match_id"] == match_id


async def test_pause_and_resume_over_http_and_an_async_program(
    stack: Endpoints, matcher: RunningService, unique: str
) -> None:
    program_id, match_id, ada, mentor_id = await confirmed_pair(
        stack, matcher, unique, session_format=SessionFormat.ASYNC, max_pause_weeks=3
    )
    [confirmed] = await events_of(stack, MATCHES.name, "match.confirmed", of_match(match_id))
    assert confirmed["format"] == "async"
    coordinator = token("coord", "coordinator", programs=[program_id])
    url = f"/matches/{match_id}"

    too_long = await matcher.http.post(
        f"{url}/pause", json={"weeks": 4, "reason": "launch"}, headers=coordinator
    )
    assert too_long.status_code == 422, too_long.text
    assert too_long.json()["field"] == "weeks"
    not_paused = await matcher.http.post(f"{url}/resume", json={}, headers=coordinator)
    assert not_paused.status_code == 409
    assert not_paused.json()["match"]["status"] == "confirmed"
    stranger = await matcher.http.post(
        f"{url}/pause", json={"weeks": 1, "reason": "x"}, headers=token("x", "mentee")
    )
    assert stranger.status_code == 403

    mentee, mentor = token(ada, "mentee"), token(mentor_id, "mentor")
    changed_mind = await matcher.http.post(
        f"{url}/pause", json={"weeks": 1, "reason": "busy"}, headers=mentor
    )
    assert changed_mind.status_code == 202, changed_mind.text
    withdrawn = await matcher.http.delete(f"{url}/pause-request", headers=mentor)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["pause_requests"] == {}
    nothing_left = await matcher.http.delete(f"{url}/pause-request", headers=mentor)
    assert nothing_left.status_code == 409, nothing_left.text
    assert nothing_left.json()["field"] == "pause_request"

    first = await matcher.http.post(
        f"{url}/pause", json={"weeks": 2, "reason": "exams"}, headers=mentee
    )
    assert first.status_code == 202, first.text
    assert first.json()["waiting_for"] == ["mentor"]
    second = await matcher.http.post(
        f"{url}/pause", json={"weeks": 3, "reason": "travel"}, headers=mentor
    )
    assert second.status_code == 200, second.text
    assert second.json()["status"] == "paused"
    assert second.json()["waiting_for"] == []
    [paused] = await events_of(stack, MATCHES.name, "match.paused", of_match(match_id))
    assert (paused["by"], paused["reason"]) == ("participants", "mentee: exams; mentor: travel")

    again = await matcher.http.post(
        f"{url}/pause", json={"weeks": 1, "reason": "again"}, headers=coordinator
    )
    assert again.status_code == 409
    assert again.json()["match"]["status"] == "paused"
    asked = await matcher.http.post(f"{url}/resume", json={}, headers=mentee)
    assert asked.status_code == 202, asked.text
    assert (asked.json()["status"], asked.json()["waiting_for"]) == ("paused", ["mentor"])
    unasked = await matcher.http.delete(f"{url}/resume-request", headers=mentee)
    assert unasked.status_code == 200, unasked.text
    assert unasked.json()["resume_requests"] == {}
    resumed = await matcher.http.post(f"{url}/resume", headers=coordinator)  # no body
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["status"] == "confirmed"
    [event] = await events_of(stack, MATCHES.name, "match.resumed", of_match(match_id))
    assert event["by"] == "coordinator"


async def test_qa_pauses_a_match_for_the_programs_longest_pause(
    stack: Endpoints, matcher: RunningService, unique: str
) -> None:
    _, match_id, ada, mentor_id = await confirmed_pair(stack, matcher, unique, max_pause_weeks=5)
    [confirmed] = await events_of(stack, MATCHES.name, "match.confirmed", of_match(match_id))
    assert confirmed.get("format") is None
    raised = EscalationRaised(
        case_id=f"case-{unique}",
        match_id=match_id,
        trigger=EscalationTrigger.BOOKING_FAILED,
        severity=Severity.MEDIUM,
        action=EscalationAction.PAUSE,
        owner_id="coord-1",
        due_at=datetime(2027, 2, 1, tzinfo=UTC),
    )
    await publish(stack, raised)
    [paused] = await events_of(stack, MATCHES.name, "match.paused", of_match(match_id))
    assert (paused["by"], paused["case_id"]) == ("qa", f"case-{unique}")
    assert paused["reason"] == "paused by the program team"
    for who in (token(ada, "mentee"), token(mentor_id, "mentor")):
        refused = await matcher.http.post(f"/matches/{match_id}/resume", headers=who)
        assert refused.status_code == 409, refused.text
        assert refused.json()["field"] == "pause"
        assert "only the program's team can resume it" in refused.json()["reason"]
    weeks = datetime.fromisoformat(paused["resume_by"]) - datetime.fromisoformat(
        paused["paused_at"]
    )
    assert weeks.days == 5 * 7
