"""A match's outcomes in feedback on the real broker and store: match.confirmed gives
the mentee's baseline as skill.assessed, exactly once however often it comes; the
mentor's goal adjustment accepted by the mentee becomes the match's goal; a milestone
reached is announced with its dates (never its evidence); the end assessment waits for
match.ended; both people answer the end survey; GET outcomes shows the growth."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mentornet_contracts import encode, new_envelope
from mentornet_contracts.catalogue import FEEDBACK, REGISTRY
from mentornet_contracts.events.matches import MatchConfirmed, MatchEnded
from mentornet_contracts.events.participants import MenteeRegistered, ParticipantErased
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.kafka import all_records, kind_of, produce_record
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.conftest import ServiceOn
from tests.support.events import events_of, person, program, publish
from tests.support.helpers import consumed, token

pytestmark = pytest.mark.integration

NOW = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


GOAL = {
    "goal_id": "g1",
    "statement": "Lead a design review",
    "target_skills": [{"skill_id": "python", "level": 4}, {"skill_id": "testing", "level": 3}],
    "measurable_outcome": "Two reviews led with positive feedback",
    "target_date": day(90),
    "milestones": [{"milestone_id": "m1", "statement": "Shadow a review", "due_date": day(20)}],
}
BASELINE = [
    {"skill_id": "python", "level": 2},
    {"skill_id": "testing", "level": 1},
    {"skill_id": "cooking", "level": 5},
]


async def outcome_events(stack: Endpoints, match_id: str, kind: str) -> list[dict[str, Any]]:
    return await events_of(stack, FEEDBACK.name, kind, lambda e: e["match_id"] == match_id)


async def confirmed_twice(stack: Endpoints, feedback: RunningService, unique: str) -> str:
    """The mentee, then their match confirmed: the same record twice and the same fact
    again in a new envelope; returns the match id once feedback saw all three."""
    program_id, mentee, mentor = f"prog-{unique}", f"mentee-{unique}", f"mentor-{unique}"
    match_id = f"m-{unique}"
    registered = person(MenteeRegistered, mentee, program_id, goals=[GOAL], skill_baseline=BASELINE)
    await publish(stack, program(program_id), registered)
    fact = MatchConfirmed(
        match_id=match_id, mentee_id=mentee, mentor_id=mentor, program_id=program_id
    )
    envelope = new_envelope(fact, "matcher")
    record = encode(envelope, REGISTRY)
    await produce_record(stack.bootstrap_servers, record)
    await produce_record(stack.bootstrap_servers, record)
    await publish(stack, fact)

    async def all_seen() -> bool:
        text = (await feedback.http.get("/metrics")).text
        duplicate = consumed(text, envelope.type, "duplicate")
        done = sum(consumed(text, envelope.type, o) for o in ("applied", "unchanged"))
        return duplicate >= 1 and done >= 2

    await eventually(all_seen, what="the confirmation, its redelivery and its repeat handled")
    return match_id


async def test_a_match_outcomes_from_confirmation_to_growth(
    stack: Endpoints, feedback_on: ServiceOn, unique: str
) -> None:
    clock = MovableClock(NOW)
    mentee, mentor = f"mentee-{unique}", f"mentor-{unique}"
    as_mentee, as_mentor = token(mentee, "mentee"), token(mentor, "mentor")
    async with feedback_on(clock) as feedback:
        match_id = await confirmed_twice(stack, feedback, unique)
        [baseline] = await outcome_events(stack, match_id, "skill.assessed")
        assert (baseline["stage"], baseline["assessor"]) == ("baseline", "mentee")
        assert {(s["skill_id"], s["level"]) for s in baseline["levels"]} == {
            ("python", 2),
            ("testing", 1),
        }
        every = await all_records(
            stack.bootstrap_servers,
            FEEDBACK.name,
            lambda r: r.key == match_id.encode() and kind_of(r) == "skill.assessed",
        )
        assert len(every) == 1, "a redelivered confirmation published a second baseline"

        http = feedback.http
        url = f"/matches/{match_id}"
        lead = {"milestone_id": "m2", "statement": "Lead a review", "due_date": day(-1)}
        change = {
            "target_date": day(120),
            "milestones": [
                {"milestone_id": "m1", "statement": "Shadow a review", "due_date": day(20)},
                lead,
            ],
            "note": "You are ahead: lead one now",
        }
        by_mentee = await http.post(f"{url}/goals/g1/adjustments", json=change, headers=as_mentee)
        assert by_mentee.status_code == 403, by_mentee.text
        past = await http.post(f"{url}/goals/g1/adjustments", json=change, headers=as_mentor)
        assert past.status_code == 422, past.text
        assert past.json()["field"] == "milestones[1].due_date"
        early = await http.post(
            f"{url}/goals/g1/adjustments", json={"target_date": day(10)}, headers=as_mentor
        )
        assert early.status_code == 422, early.text
        assert early.json()["field"] == "target_date"
        lead["due_date"] = day(1)
        proposed = await http.post(f"{url}/goals/g1/adjustments", json=change, headers=as_mentor)
        assert proposed.status_code == 201, proposed.text
        proposal_id = proposed.json()["proposal_id"]
        again = await http.post(
            f"{url}/goals/g1/adjustments", json={"target_date": day(100)}, headers=as_mentor
        )
        assert again.status_code == 409, again.text
        assert again.json()["open"]["proposal_id"] == proposal_id
        answer_url = f"{url}/goals/g1/adjustments/{proposal_id}/answer"
        accepted = await http.post(answer_url, json={"accept": True}, headers=as_mentee)
        assert accepted.status_code == 200, accepted.text
        assert [m["milestone_id"] for m in accepted.json()["goal"]["milestones"]] == ["m1", "m2"]
        twice = await http.post(answer_url, json={"accept": False}, headers=as_mentee)
        assert twice.status_code == 409
        assert twice.json()["proposal"]["status"] == "accepted"
        [answered] = await outcome_events(stack, match_id, "goal.adjustment.answered")
        assert answered["accepted"] is True
        assert answered["goal"]["target_date"] == day(120)

        clock.advance(days=3)
        done_url = f"{url}/goals/g1/milestones/m2/completion"
        future = await http.post(
            done_url, json={"completed_on": day(4), "evidence": "x"}, headers=as_mentee
        )
        assert future.status_code == 422
        assert future.json()["field"] == "completed_on"
        evidence = {"completed_on": day(2), "evidence": "Led the payments review"}
        completed = await http.post(done_url, json=evidence, headers=as_mentee)
        assert completed.status_code == 201, completed.text
        assert completed.json()["on_time"] is False
        assert (await http.post(done_url, json=evidence, headers=as_mentor)).status_code == 409
        [reached] = await outcome_events(stack, match_id, "milestone.completed")
        assert (reached["due_date"], reached["completed_on"]) == (day(1), day(2))
        assert reached["milestones_in_goal"] == 2
        assert "Led the payments review" not in json.dumps(reached)

        end_self = {"stage": "end", "levels": [{"skill_id": "python", "level": 4}]}
        early = await http.post(f"{url}/skill-assessments", json=end_self, headers=as_mentee)
        assert early.status_code == 409, early.text
        assert early.json()["status"] == "active"
        ended = MatchEnded.model_validate(
            {
                "match_id": match_id,
                "mentee_id": mentee,
                "mentor_id": mentor,
                "program_id": f"prog-{unique}",
                "reason": "completed",
                "detail": "ran its course",
            }
        )
        await publish(stack, ended)

        async def taken() -> bool:
            response = await http.post(f"{url}/skill-assessments", json=end_self, headers=as_mentee)
            return response.status_code == 201

        await eventually(taken, what="the end assessment taken once the match ended")
        by_mentor = {"stage": "end", "levels": [{"skill_id": "python", "level": 3}]}
        mentor_end = await http.post(f"{url}/skill-assessments", json=by_mentor, headers=as_mentor)
        assert mentor_end.status_code == 201, mentor_end.text

        for who, headers in (("mentee", as_mentee), ("mentor", as_mentor)):
            survey = {
                "satisfaction": 5,
                "would_recommend": True,
                "confidence_gained": 4,
                "comments": f"private words of the {who}",
            }
            sent = await http.post(f"{url}/end-survey", json=survey, headers=headers)
            assert sent.status_code == 201, sent.text
        surveys = await events_of(
            stack, FEEDBACK.name, "end_survey.submitted", lambda e: e["match_id"] == match_id, 2
        )
        assert {s["role"] for s in surveys} == {"mentee", "mentor"}
        assert all("private words" not in json.dumps(s) for s in surveys)

        shown = await http.get(f"{url}/outcomes", headers=as_mentor)
        assert shown.status_code == 200, shown.text
        outcomes = shown.json()
        growth = {g["skill_id"]: g for g in outcomes["growth"]}
        assert growth["python"] == {
            "skill_id": "python",
            "baseline": 2,
            "end_self": 4,
            "growth": 2,
            "mentor_end": 3,
        }
        [goal] = outcomes["goals"]
        assert goal["growth"] == 2.0
        assert [(m["milestone_id"], m["completed"]) for m in goal["milestones"]] == [
            ("m1", False),
            ("m2", True),
        ]
        comments = {s["role"]: s.get("comments") for s in outcomes["surveys"]}
        assert comments == {"mentor": "private words of the mentor", "mentee": None}
        assert outcomes["status"] == "ended"

        await publish(stack, ParticipantErased(participant_id=mentor))

        async def mentor_forgotten() -> dict[str, Any] | None:
            found: dict[str, Any] = (await http.get(f"{url}/outcomes", headers=as_mentee)).json()
            return found if {s["role"] for s in found["surveys"]} == {"mentee"} else None

        after = await eventually(mentor_forgotten, what="the erased mentor's survey to go")
        assert {g["skill_id"]: g["mentor_end"] for g in after["growth"]}["python"] is None
        assert "private words of the mentor" not in json.dumps(after)


def ended_fact(match_id: str, unique: str, **fields: Any) -> MatchEnded:
    return MatchEnded.model_validate(
        {
            "match_id": match_id,
            "mentee_id": f"mentee-{unique}",
            "mentor_id": f"mentor-{unique}",
            "program_id": f"prog-{unique}",
            "reason": "completed",
            **fields,
        }
    )


async def status_of(feedback: RunningService, match_id: str, unique: str) -> str | None:
    headers = token("coord", "coordinator", programs=[f"prog-{unique}"])
    response = await feedback.http.get(f"/matches/{match_id}/outcomes", headers=headers)
    return str(response.json()["status"]) if response.status_code == 200 else None


async def test_the_end_of_a_proposal_never_confirmed_leaves_no_match(
    stack: Endpoints, feedback_on: ServiceOn, unique: str
) -> None:
    """An option not picked ends without a confirmation; the pair's confirmed match,
    ended after it on the same (mentee-keyed) partition, shows it was handled."""
    program_id, mentee = f"prog-{unique}", f"mentee-{unique}"
    not_picked = ended_fact(f"m-{unique}-a", unique, reason="other", cause="option_not_picked")
    picked = MatchConfirmed(
        match_id=f"m-{unique}-b",
        mentee_id=mentee,
        mentor_id=f"mentor-{unique}",
        program_id=program_id,
    )
    async with feedback_on(MovableClock(NOW)) as feedback:
        registered = person(MenteeRegistered, mentee, program_id, goals=[GOAL])
        await publish(stack, program(program_id), registered)
        await publish(stack, not_picked, picked, ended_fact(f"m-{unique}-b", unique))

        async def ended() -> bool:
            return await status_of(feedback, f"m-{unique}-b", unique) == "ended"

        await eventually(ended, what="the picked match confirmed, then ended")
        assert await status_of(feedback, f"m-{unique}-a", unique) is None
        headers = token("coord", "coordinator", programs=[program_id])
        unknown = await feedback.http.get(f"/matches/m-{unique}-a/outcomes", headers=headers)
        assert unknown.status_code == 404, unknown.text


async def test_a_confirmation_before_the_mentee_registration_waits_for_it(
    stack: Endpoints, feedback_on: ServiceOn, unique: str
) -> None:
    """The end published while the confirmation waits is applied after it (it waits
    behind it on its line), so the match is recorded, then ended."""
    program_id, mentee, match_id = f"prog-{unique}", f"mentee-{unique}", f"m-{unique}"
    async with feedback_on(MovableClock(NOW)) as feedback:
        fact = MatchConfirmed(
            match_id=match_id, mentee_id=mentee, mentor_id=f"mentor-{unique}", program_id=program_id
        )
        await publish(stack, program(program_id), fact)

        async def parked() -> bool:
            text = (await feedback.http.get("/metrics")).text
            return consumed(text, MatchConfirmed.event_type, "parked") >= 1

        await eventually(parked, what="the confirmation parked until the mentee is known")
        await publish(stack, ended_fact(match_id, unique, reason="withdrawn"))
        registered = person(
            MenteeRegistered, mentee, program_id, goals=[GOAL], skill_baseline=BASELINE
        )
        await publish(stack, registered)
        [baseline] = await outcome_events(stack, match_id, "skill.assessed")
        assert {s["skill_id"] for s in baseline["levels"]} == {"python", "testing"}

        async def ended() -> bool:
            return await status_of(feedback, match_id, unique) == "ended"

        await eventually(ended, what="the end applied after the waiting confirmation")
