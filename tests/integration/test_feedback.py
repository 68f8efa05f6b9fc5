"""Feedback on the real broker and store: a session that took place asks both people,
answers become feedback.submitted with the right scores (never free text), a report's
risk flag becomes a risk signal, and nobody reads what is not theirs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from mentornet_contracts.catalogue import FEEDBACK
from mentornet_contracts.events.common import Role
from mentornet_contracts.events.participants import MenteeRegistered, ParticipantErased
from mentornet_contracts.events.sessions import (
    Attendance,
    SessionCancelled,
    SessionCompleted,
    SessionMissed,
    SessionRescheduled,
    SessionScheduled,
)
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.kafka import find_records, kind_of
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService
from pymongo import AsyncMongoClient

from tests.conftest import ServiceOn
from tests.support.events import person, program, publish
from tests.support.helpers import token

pytestmark = pytest.mark.integration

NOW = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
Mongo = AsyncMongoClient[dict[str, Any]]
RUBRIC = {"relevance": 4, "clarity": 5, "specificity": 3, "accountability": 4, "confidence_gain": 2}


async def feedback_events(
    stack: Endpoints, match_id: str, kind: str, count: int = 1
) -> list[dict[str, Any]]:
    records = await find_records(
        stack.bootstrap_servers,
        FEEDBACK.name,
        lambda r: r.key == match_id.encode() and kind_of(r) == kind,
        count=count,
        timeout=30,
    )
    return [json.loads(r.value) for r in records]


def scheduled(
    session: str, match_id: str, program_id: str, mentor: str, mentee: str
) -> SessionScheduled:
    return SessionScheduled.model_validate(
        {
            "session_id": session,
            "match_id": match_id,
            "program_id": program_id,
            "mentor_id": mentor,
            "mentee_id": mentee,
            "session_type": "regular",
            "starts_at": (NOW - timedelta(days=1)).isoformat(),
            "duration_minutes": 60,
            "local_times": [],
        }
    )


async def held_session(stack: Endpoints, unique: str) -> tuple[str, str, str, str]:
    program_id, match_id = f"prog-{unique}", f"m-{unique}"
    mentor, mentee, session = f"mentor-{unique}", f"mentee-{unique}", f"s-{unique}"
    goals = [
        {
            "goal_id": "g1",
            "statement": "Lead a review",
            "target_skills": [{"skill_id": "python", "level": 3}],
        }
    ]
    await publish(
        stack,
        program(program_id),
        person(MenteeRegistered, mentee, program_id, goals=goals),
        scheduled(session, match_id, program_id, mentor, mentee),
        SessionCompleted(session_id=session, match_id=match_id, attendance=Attendance.ATTENDED),
    )
    return match_id, session, mentor, mentee


async def knows_mentee(service: RunningService, unique: str) -> None:
    """The mentee's registration comes on its own topic, in no set order with the
    session's: wait for it before asking about the mentee's goals."""
    coordinator = token("coord", "coordinator", programs=[f"prog-{unique}"])

    async def known() -> bool:
        goals = await service.http.get(f"/participants/mentee-{unique}/goals", headers=coordinator)
        return goals.status_code == 200

    await eventually(known, what="feedback to know the mentee")


async def request_for(service: RunningService, who: str) -> dict[str, Any]:
    async def listed() -> list[dict[str, Any]]:
        answer = await service.http.get(
            f"/participants/{who}/feedback-requests", headers=token(who, "mentee")
        )
        requests: list[dict[str, Any]] = answer.json()["requests"]
        return requests

    return (await eventually(listed, what=f"a feedback request for {who}"))[0]


async def test_a_held_session_asks_both_people_and_answers_carry_scores_not_text(
    stack: Endpoints, feedback_on: ServiceOn, unique: str
) -> None:
    clock = MovableClock(NOW)
    async with feedback_on(clock) as feedback:
        match_id, _session, mentor, mentee = await held_session(stack, unique)
        asked = await feedback_events(stack, match_id, "feedback.requested", count=2)
        assert {(e["participant_id"], e["role"]) for e in asked} == {
            (mentor, "mentor"),
            (mentee, "mentee"),
        }
        assert {e["due_at"] for e in asked} == {"2027-03-13T09:00:00Z"}

        request = await request_for(feedback, mentee)
        questions = (
            await feedback.http.get(
                f"/feedback-requests/{request['request_id']}", headers=token(mentee, "mentee")
            )
        ).json()["questions"]
        assert {q["id"] for q in questions} >= set(RUBRIC)
        url = f"/feedback-requests/{request['request_id']}/answers"
        body: dict[str, Any] = {
            "template_version": 1,
            "answers": {
                **RUBRIC,
                "rating": 4,
                "went_well": "clear plan",
                "private_note": "mentor was late",
            },
        }

        wrong = await feedback.http.post(
            url,
            json={**body, "answers": {**body["answers"], "clarity": 9}},
            headers=token(mentee, "mentee"),
        )
        assert (wrong.status_code, wrong.json()["field"]) == (422, "answers.clarity")
        stranger = await feedback.http.post(url, json=body, headers=token("someone-else", "mentee"))
        assert stranger.status_code == 403
        ok = await feedback.http.post(url, json=body, headers=token(mentee, "mentee"))
        assert ok.status_code == 200, ok.text

        [submitted] = await feedback_events(stack, match_id, "feedback.submitted")
        assert submitted["rubric"] == RUBRIC
        assert (submitted["rating"], submitted["role"], submitted["revision"]) == (4, "mentee", 1)
        assert "clear plan" not in json.dumps(submitted)

        seen_by_mentor = (
            await feedback.http.get(
                f"/matches/{match_id}/feedback", headers=token(mentor, "mentor")
            )
        ).json()
        mentee_answers = next(
            r for r in seen_by_mentor["requests"] if r["participant_id"] == mentee
        )["answers"]
        assert "private_note" not in mentee_answers
        assert mentee_answers["went_well"] == "clear plan"
        reviewer = (
            await feedback.http.get(
                f"/matches/{match_id}/feedback",
                headers=token("qa-1", "reviewer", programs=[f"prog-{unique}"]),
            )
        ).json()
        assert (
            next(r for r in reviewer["requests"] if r["participant_id"] == mentee)["answers"][
                "private_note"
            ]
            == "mentor was late"
        )
        outsider = await feedback.http.get(
            f"/matches/{match_id}/feedback", headers=token("x", "mentee")
        )
        assert outsider.status_code == 403
        other_program = await feedback.http.get(
            f"/matches/{match_id}/feedback",
            headers=token("qa-2", "reviewer", programs=["prog-elsewhere"]),
        )
        assert other_program.status_code == 403

        clock.advance(hours=49)
        locked = await feedback.http.post(url, json=body, headers=token(mentee, "mentee"))
        assert locked.status_code == 409

        summary = (
            await feedback.http.get(
                f"/matches/{match_id}/feedback/summary", headers=token(mentor, "mentor")
            )
        ).json()
        assert summary["rubric_average"] == 3.6
        assert summary["response_rate"] == 1.0  # the mentor's request is not due yet


async def test_a_risk_flag_in_a_report_becomes_a_risk_signal_and_progress_is_recorded(
    stack: Endpoints, feedback_on: ServiceOn, unique: str
) -> None:
    async with feedback_on(MovableClock(NOW)) as feedback:
        match_id, session, mentor, mentee = await held_session(stack, unique)
        await feedback_events(stack, match_id, "feedback.requested", count=2)
        await knows_mentee(feedback, unique)
        report = {
            "agenda": ["goals"],
            "notes": "worried about workload",
            "action_items": [
                {
                    "text": "book a chat with the manager",
                    "owner": "mentee",
                    "due_date": "2027-03-17",
                }
            ],
            "risk_flags": ["wellbeing_concern"],
        }
        by_mentee = await feedback.http.post(
            f"/sessions/{session}/report", json=report, headers=token(mentee, "mentee")
        )
        assert by_mentee.status_code == 403
        filed = await feedback.http.post(
            f"/sessions/{session}/report", json=report, headers=token(mentor, "mentor")
        )
        assert filed.status_code == 201, filed.text
        [flag] = await feedback_events(stack, match_id, "risk.flagged")
        assert (flag["flag"], flag["source"], flag["session_id"]) == (
            "wellbeing_concern",
            "report",
            session,
        )
        [filed_event] = await feedback_events(stack, match_id, "session.report.filed")
        assert filed_event["action_item_count"] == 1
        assert "workload" not in json.dumps(filed_event)

        mentee_view = (
            await feedback.http.get(f"/sessions/{session}/report", headers=token(mentee, "mentee"))
        ).json()
        assert "notes" not in mentee_view
        item = mentee_view["action_items"][0]["item_id"]
        done = await feedback.http.post(
            f"/action-items/{item}/complete", headers=token(mentee, "mentee")
        )
        assert done.status_code == 200, done.text
        [completed] = await feedback_events(stack, match_id, "action.item.completed")
        assert (completed["owner"], completed["on_time"]) == (str(Role.MENTEE), True)

        progress = await feedback.http.post(
            f"/matches/{match_id}/goals/g1/progress",
            json={"percent": 40, "status": "on_track", "milestones_reached": 1},
            headers=token(mentee, "mentee"),
        )
        assert progress.status_code == 201, progress.text
        unknown = await feedback.http.post(
            f"/matches/{match_id}/goals/nope/progress",
            json={"percent": 40, "status": "on_track"},
            headers=token(mentee, "mentee"),
        )
        assert (unknown.status_code, unknown.json()["field"]) == (404, "goal_id")
        [recorded] = await feedback_events(stack, match_id, "goal.progress.recorded")
        assert (recorded["goal_id"], recorded["percent"]) == ("g1", 40)


async def test_a_new_template_version_applies_to_later_sessions_and_overdue_surveys_are_reminded(
    stack: Endpoints, feedback_on: ServiceOn, unique: str
) -> None:
    clock = MovableClock(NOW)
    async with feedback_on(clock) as feedback:
        match_id, _, mentor, mentee = await held_session(stack, unique)
        await feedback_events(stack, match_id, "feedback.requested", count=2)
        program_id = f"prog-{unique}"
        spec = {
            "questions": [
                {"id": "clarity", "kind": "rubric", "dimension": "clarity", "text": "Clear?"},
                {
                    "id": "topics",
                    "kind": "multiple",
                    "text": "Covered?",
                    "options": ["goals", "blockers"],
                },
            ]
        }
        refused = await feedback.http.put(
            f"/programs/{program_id}/survey-template", json=spec, headers=token(mentor, "mentor")
        )
        assert refused.status_code == 403
        coordinator = token("coord", "coordinator", programs=[program_id])
        bad = await feedback.http.put(
            f"/programs/{program_id}/survey-template",
            json={"questions": [{"id": "r", "kind": "rating", "text": "?"}]},
            headers=coordinator,
        )
        assert bad.status_code == 422

        async def replaced() -> httpx.Response | None:
            """404 until feedback has the program, which comes on its own topic."""
            answer = await feedback.http.put(
                f"/programs/{program_id}/survey-template", json=spec, headers=coordinator
            )
            return None if answer.status_code == 404 else answer

        made = await eventually(replaced, what="feedback to know the program")
        assert (made.status_code, made.json()["version"]) == (200, 2), made.text
        first = await request_for(feedback, mentee)
        assert first["template_version"] == 1
        second = f"s2-{unique}"
        await publish(
            stack,
            scheduled(second, match_id, program_id, mentor, mentee),
            SessionCompleted(session_id=second, match_id=match_id, attendance=Attendance.ATTENDED),
        )
        asked = await feedback_events(stack, match_id, "feedback.requested", count=4)
        assert {e["template_version"] for e in asked if e["session_id"] == second} == {2}

        clock.advance(days=3, minutes=1)
        reminders = await feedback_events(stack, match_id, "feedback.reminder.due", count=2)
        assert {r["participant_id"] for r in reminders} == {mentor, mentee}


async def test_reviewers_read_but_never_change_and_other_programs_see_nothing(
    stack: Endpoints, feedback_on: ServiceOn, unique: str
) -> None:
    async with feedback_on(MovableClock(NOW)) as feedback:
        match_id, session, mentor, mentee = await held_session(stack, unique)
        await feedback_events(stack, match_id, "feedback.requested", count=2)
        await knows_mentee(feedback, unique)
        report = {
            "action_items": [{"text": "read a book", "owner": "mentor", "due_date": "2027-03-20"}]
        }
        filed = await feedback.http.post(
            f"/sessions/{session}/report", json=report, headers=token(mentor, "mentor")
        )
        item = filed.json()["action_items"][0]["item_id"]
        reviewer = token("qa-1", "reviewer", programs=[f"prog-{unique}"])
        assert (
            await feedback.http.post(f"/action-items/{item}/complete", headers=reviewer)
        ).status_code == 403
        assert (
            await feedback.http.post(
                f"/action-items/{item}/complete", headers=token(mentee, "mentee")
            )
        ).status_code == 403
        progress = {"percent": 100, "status": "achieved"}
        by_reviewer = await feedback.http.post(
            f"/matches/{match_id}/goals/g1/progress", json=progress, headers=reviewer
        )
        assert by_reviewer.status_code == 403
        elsewhere = token("coord-x", "coordinator", programs=["prog-elsewhere"])
        hidden = await feedback.http.get(f"/participants/{mentee}/goals", headers=elsewhere)
        assert hidden.status_code == 404, "a person out of scope is not known to exist"
        own = token("coord", "coordinator", programs=[f"prog-{unique}"])
        assert (
            await feedback.http.get(f"/participants/{mentee}/goals", headers=own)
        ).status_code == 200
        unknown = await feedback.http.get(
            f"/participants/{mentee}/feedback-requests?status=weird",
            headers=token(mentee, "mentee"),
        )
        assert (unknown.status_code, unknown.json()["field"]) == (422, "query.status")


async def test_an_erased_participant_is_not_asked_again(
    stack: Endpoints, feedback_on: ServiceOn, unique: str
) -> None:
    async with feedback_on(MovableClock(NOW)) as feedback:
        match_id, _, mentor, mentee = await held_session(stack, unique)
        await feedback_events(stack, match_id, "feedback.requested", count=2)
        await publish(stack, ParticipantErased(participant_id=mentee))

        async def forgotten() -> bool:
            seen = await feedback.http.get(
                f"/matches/{match_id}/feedback",
                headers=token("qa", "reviewer", programs=[f"prog-{unique}"]),
            )
            return all(r["participant_id"] != mentee for r in seen.json()["requests"])

        await eventually(forgotten, what="the erased mentee's requests to go")
        later = f"s3-{unique}"
        await publish(
            stack,
            scheduled(later, match_id, f"prog-{unique}", mentor, mentee),
            SessionCompleted(session_id=later, match_id=match_id, attendance=Attendance.ATTENDED),
        )
        asked = await feedback_events(stack, match_id, "feedback.requested", count=3)
        assert [e["participant_id"] for e in asked if e["session_id"] == later] == [mentor]


def words(label: str, unique: str, size: int) -> str:
    return f"{label} {unique} ".ljust(size, "w")


async def texts_by(mongo: Mongo, feedback: RunningService, author: str) -> list[dict[str, Any]]:
    return await mongo[feedback.database]["texts"].find({"author_id": author}).to_list()


async def test_answers_and_report_words_live_outside_the_match_and_go_with_their_author(
    stack: Endpoints, mongo: Mongo, feedback_on: ServiceOn, unique: str
) -> None:
    async with feedback_on(MovableClock(NOW)) as feedback:
        match_id, session, mentor, mentee = await held_session(stack, unique)
        await feedback_events(stack, match_id, "feedback.requested", count=2)
        notes, agenda = words("notes", unique, 10_000), words("agenda", unique, 300)
        item = words("item", unique, 500)
        report = {
            "agenda": [agenda],
            "notes": notes,
            "action_items": [{"text": item, "owner": "mentee", "due_date": "2027-03-17"}],
        }
        filed = await feedback.http.post(
            f"/sessions/{session}/report", json=report, headers=token(mentor, "mentor")
        )
        assert (filed.status_code, filed.json()["notes"]) == (201, notes), filed.text
        shared, private = words("shared", unique, 4000), words("private", unique, 4000)
        request = await request_for(feedback, mentee)
        answered = await feedback.http.post(
            f"/feedback-requests/{request['request_id']}/answers",
            json={
                "template_version": 1,
                "answers": {**RUBRIC, "rating": 4, "went_well": shared, "private_note": private},
            },
            headers=token(mentee, "mentee"),
        )
        assert answered.json()["answers"]["private_note"] == private, answered.text

        stored = await mongo[feedback.database]["matches"].find_one({"_id": match_id})
        assert stored is not None
        document = json.dumps(stored, default=str)
        assert session in document
        for said in (notes, agenda, item, shared, private):
            assert said[:40] not in document
        assert len(await texts_by(mongo, feedback, mentee)) == 1
        assert len(await texts_by(mongo, feedback, mentor)) == 1

        async def get(path: str, headers: dict[str, str]) -> dict[str, Any]:
            answer = await feedback.http.get(path, headers=headers)
            assert answer.status_code == 200, answer.text
            body: dict[str, Any] = answer.json()
            return body

        reviewer = token("qa-1", "reviewer", programs=[f"prog-{unique}"])
        by_mentee = await get(f"/sessions/{session}/report", token(mentee, "mentee"))
        assert "notes" not in by_mentee
        assert (by_mentee["agenda"], by_mentee["action_items"][0]["text"]) == ([agenda], item)
        for allowed in (token(mentor, "mentor"), reviewer):
            assert (await get(f"/sessions/{session}/report", allowed))["notes"] == notes

        def mentees(view: dict[str, Any]) -> dict[str, Any]:
            found: dict[str, Any] = next(
                r for r in view["requests"] if r["participant_id"] == mentee
            )["answers"]
            return found

        seen_by_mentor = await get(f"/matches/{match_id}/feedback", token(mentor, "mentor"))
        assert mentees(seen_by_mentor) == {
            k: v for k, v in answered.json()["answers"].items() if k != "private_note"
        }
        assert mentees(seen_by_mentor)["went_well"] == shared
        assert seen_by_mentor["reports"][0]["notes"] == notes
        seen_by_mentee = await get(f"/matches/{match_id}/feedback", token(mentee, "mentee"))
        assert mentees(seen_by_mentee)["private_note"] == private
        assert "notes" not in seen_by_mentee["reports"][0]
        assert mentees(await get(f"/matches/{match_id}/feedback", reviewer))["private_note"] == (
            private
        )
        own = await get(f"/feedback-requests/{request['request_id']}", token(mentee, "mentee"))
        assert own["answers"]["private_note"] == private
        assert (
            await feedback.http.get(
                f"/feedback-requests/{request['request_id']}", headers=token(mentor, "mentor")
            )
        ).status_code == 403

        await publish(stack, ParticipantErased(participant_id=mentee))

        async def mentee_texts_gone() -> bool:
            return await texts_by(mongo, feedback, mentee) == []

        await eventually(mentee_texts_gone, what="the erased mentee's answers to go")
        assert (await get(f"/sessions/{session}/report", reviewer))["notes"] == notes
        await publish(stack, ParticipantErased(participant_id=mentor))

        async def mentor_texts_gone() -> bool:
            return await texts_by(mongo, feedback, mentor) == []

        await eventually(mentor_texts_gone, what="the erased mentor's report to go")
        assert await mongo[feedback.database]["texts"].count_documents({}) == 0


async def test_template_versions_are_documents_of_their_own_and_older_ones_are_still_read(
    stack: Endpoints, mongo: Mongo, feedback_on: ServiceOn, unique: str
) -> None:
    async with feedback_on(MovableClock(NOW)) as feedback:
        program_id, old_program = f"prog-{unique}", f"prog-old-{unique}"
        await publish(stack, program(program_id), program(old_program))
        coordinator = token("coord", "coordinator", programs=[program_id, old_program])
        spec = {"questions": [{"id": "c", "kind": "rubric", "dimension": "clarity", "text": "?"}]}
        old_spec = {"questions": [{**spec["questions"][0], "text": "saved before"}]}
        database = mongo[feedback.database]
        await database["templates"].insert_one(
            {
                "_id": old_program,
                "version": 1,
                "state": {"program_id": old_program, "current": 2, "versions": {"2": old_spec}},
                "inbox": [],
                "outbox": [],
                "pending": False,
            }
        )

        async def saved(program_id: str) -> httpx.Response | None:
            answer = await feedback.http.put(
                f"/programs/{program_id}/survey-template", json=spec, headers=coordinator
            )
            return None if answer.status_code == 404 else answer

        for expected in (2, 3):
            made = await eventually(lambda: saved(program_id), what="feedback to know it")
            assert (made.status_code, made.json()["version"]) == (200, expected), made.text
        stored = await database["template_versions"].find({"program_id": program_id}).to_list()
        assert sorted(d["version"] for d in stored) == [2, 3]
        assert await database["templates"].find_one({"_id": program_id}) is None

        async def template(program_id: str, query: str = "") -> dict[str, Any]:
            answer = await feedback.http.get(
                f"/programs/{program_id}/survey-template{query}", headers=coordinator
            )
            assert answer.status_code == 200, answer.text
            body: dict[str, Any] = answer.json()
            return body

        assert (await template(program_id))["version"] == 3
        assert (await template(program_id, "?version=1"))["questions"][0]["id"] == "rating"
        older = await template(old_program)
        assert (older["version"], older["questions"][0]["text"]) == (2, "saved before")
        made = await eventually(lambda: saved(old_program), what="feedback to know it")
        assert made.json()["version"] == 3
        assert (await template(old_program, "?version=2"))["questions"][0]["text"] == (
            "saved before"
        )


def checkin(
    session: str, unique: str, opens: datetime, due: datetime, sequence: int = 1
) -> SessionScheduled:
    people = (f"m-{unique}", f"prog-{unique}", f"mentor-{unique}", f"mentee-{unique}")
    live = scheduled(session, *people).model_dump(mode="json")
    changes = {"format": "async", "starts_at": opens, "due_at": due, "sequence": sequence}
    return SessionScheduled.model_validate({**live, **changes})


async def test_an_async_checkin_takes_the_reflection_then_the_reply_and_forgets_erased_words(
    stack: Endpoints, mongo: Mongo, feedback_on: ServiceOn, unique: str
) -> None:
    match_id, mentor, mentee = f"m-{unique}", f"mentor-{unique}", f"mentee-{unique}"
    now, later, gone = f"s-{unique}", f"s2-{unique}", f"s3-{unique}"
    async with feedback_on(MovableClock(NOW)) as feedback:
        await publish(
            stack,
            program(f"prog-{unique}"),
            checkin(now, unique, NOW - timedelta(days=1), NOW + timedelta(days=6)),
            checkin(later, unique, NOW + timedelta(days=7), NOW + timedelta(days=14), 2),
            checkin(gone, unique, NOW - timedelta(days=1), NOW + timedelta(days=6), 3),
            SessionCancelled(session_id=gone, match_id=match_id, reason="match paused"),
        )
        as_mentee, as_mentor = token(mentee, "mentee"), token(mentor, "mentor")
        http = feedback.http

        async def settled_in() -> dict[str, Any] | None:
            answer = await http.get(f"/checkins/{gone}", headers=as_mentee)
            found: dict[str, Any] = answer.json()
            return found if answer.status_code == 200 and found["status"] == "cancelled" else None

        await eventually(settled_in, what="feedback to know the check-ins")
        opened = (await http.get(f"/checkins/{now}", headers=as_mentee)).json()
        assert (opened["state"], opened["mentor_id"]) == ("awaiting_reflection", mentor)
        assert "reflection" not in opened

        def post(session: str, part: str, body: object, who: dict[str, str]) -> Any:
            return http.post(f"/checkins/{session}/{part}", json=body, headers=who)

        reflection = {
            "text": f"reflection {unique}",
            "goals": [{"goal_id": "g1", "status": "on_track", "percent": 40}],
            "private_note": f"private {unique}",
        }
        reply = {"text": f"reply {unique}", "next_steps": ["Pair on a review"]}
        unknown = await post(f"nope-{unique}", "reflection", reflection, as_mentee)
        assert (unknown.status_code, unknown.json()["field"]) == (404, "session_id")
        for wrong in (as_mentor, token(f"other-{unique}", "mentee")):
            assert (await post(now, "reflection", reflection, wrong)).status_code == 403
        assert (await post(now, "reply", reply, as_mentee)).status_code == 403
        blank = await post(now, "reflection", {"text": ""}, as_mentee)
        assert (blank.status_code, blank.json()["field"]) == (422, "body.text")
        early = await post(now, "reply", reply, as_mentor)
        assert (early.status_code, early.json()["state"]) == (409, "awaiting_reflection")
        not_yet = await post(later, "reflection", reflection, as_mentee)
        assert (not_yet.status_code, not_yet.json()["state"]) == (409, "not_open")
        cancelled = await post(gone, "reflection", reflection, as_mentee)
        assert (cancelled.status_code, cancelled.json()["state"]) == (409, "cancelled")

        keyed = {**as_mentee, "Idempotency-Key": f"reflect-{unique}"}
        first = await post(now, "reflection", reflection, keyed)
        assert first.status_code == 201, first.text
        assert first.json()["reflection"]["private_note"] == f"private {unique}"
        assert first.json()["state"] == "awaiting_reply"
        repeat = await post(now, "reflection", reflection, keyed)
        assert (repeat.status_code, repeat.json()) == (201, first.json())
        again = await post(now, "reflection", reflection, as_mentee)
        assert (again.status_code, again.json()["state"]) == (409, "awaiting_reply")
        assert "already given" in again.json()["reason"]

        seen = (await http.get(f"/checkins/{now}", headers=as_mentor)).json()
        assert seen["reflection"]["text"] == f"reflection {unique}"
        assert "private_note" not in seen["reflection"]
        replied = await post(now, "reply", reply, as_mentor)
        assert (replied.status_code, replied.json()["state"]) == (201, "complete"), replied.text
        assert replied.json()["reply"]["next_steps"] == ["Pair on a review"]

        submitted = await feedback_events(stack, match_id, "checkin.submitted", count=2)
        assert [(e["role"], e["complete"], e["session_id"]) for e in submitted] == [
            ("mentee", False, now),
            ("mentor", True, now),
        ]
        fields = {"match_id", "session_id", "role", "submitted_at", "complete"}
        assert all(set(e) == fields for e in submitted)
        stored = await mongo[feedback.database]["matches"].find_one({"_id": match_id})
        assert f"reflection {unique}" not in json.dumps(stored, default=str)
        assert len(await texts_by(mongo, feedback, mentee)) == 1

        listed = await http.get(f"/matches/{match_id}/checkins", headers=as_mentor)
        assert listed.status_code == 200, listed.text
        shown = listed.json()["checkins"]
        assert [(c["session_id"], c["state"]) for c in shown] == [
            (now, "complete"),
            (later, "not_open"),
            (gone, "cancelled"),
        ]
        assert shown[0]["reflection"]["text"] == f"reflection {unique}"
        assert "private_note" not in shown[0]["reflection"]
        outsider = token(f"other-{unique}", "mentor")
        assert (await http.get(f"/matches/{match_id}/checkins", headers=outsider)).status_code == (
            403
        )

        await publish(stack, ParticipantErased(participant_id=mentee))

        async def mentee_words_gone() -> bool:
            return await texts_by(mongo, feedback, mentee) == []

        await eventually(mentee_words_gone, what="the erased mentee's reflection to go")
        reviewer = token("qa-1", "reviewer", programs=[f"prog-{unique}"])

        async def forgotten() -> dict[str, Any] | None:
            found: dict[str, Any] = (await http.get(f"/checkins/{now}", headers=reviewer)).json()
            return found if found["reflection"]["author_id"] == "erased" else None

        after = await eventually(forgotten, what="the check-in to forget its author")
        assert "text" not in after["reflection"]
        assert after["reply"]["text"] == f"reply {unique}"
        assert after["state"] == "complete"


async def test_a_checkin_moves_to_the_due_time_given_and_a_completion_after_missed_holds_it(
    stack: Endpoints, feedback_on: ServiceOn, unique: str
) -> None:
    match_id, mentor, mentee = f"m-{unique}", f"mentor-{unique}", f"mentee-{unique}"
    done, moved = f"s-{unique}", f"s2-{unique}"
    due = NOW + timedelta(days=1)
    clock = MovableClock(NOW)
    async with feedback_on(clock) as feedback:
        await publish(
            stack,
            program(f"prog-{unique}"),
            checkin(done, unique, NOW - timedelta(days=6), due),
            checkin(moved, unique, NOW + timedelta(days=7), NOW + timedelta(days=14), 2),
            SessionRescheduled(
                session_id=moved,
                match_id=match_id,
                previous_starts_at=NOW + timedelta(days=7),
                starts_at=NOW + timedelta(days=8),
                duration_minutes=60,
                local_times=(),
                due_at=NOW + timedelta(days=10),
            ),
        )
        as_mentee, as_mentor = token(mentee, "mentee"), token(mentor, "mentor")
        http = feedback.http

        async def moved_in() -> dict[str, Any] | None:
            answer = await http.get(f"/checkins/{moved}", headers=as_mentee)
            found: dict[str, Any] = answer.json()
            wanted = (NOW + timedelta(days=10)).isoformat()
            return found if answer.status_code == 200 and found["due_at"] == wanted else None

        after = await eventually(moved_in, what="the reschedule's due time in feedback")
        assert after["opens_at"] == (NOW + timedelta(days=8)).isoformat()
        reflected = await http.post(
            f"/checkins/{done}/reflection", json={"text": "went well"}, headers=as_mentee
        )
        assert reflected.status_code == 201, reflected.text
        replied = await http.post(
            f"/checkins/{done}/reply", json={"text": "yes"}, headers=as_mentor
        )
        assert (replied.status_code, replied.json()["state"]) == (201, "complete"), replied.text
        clock.advance(days=1)
        await publish(
            stack,
            SessionMissed(
                session_id=done, match_id=match_id, absent=(Role.MENTOR,), missed_in_a_row=1
            ),
            SessionCompleted(session_id=done, match_id=match_id, attendance=Attendance.ATTENDED),
        )

        async def held() -> dict[str, Any] | None:
            found: dict[str, Any] = (await http.get(f"/checkins/{done}", headers=as_mentee)).json()
            return found if found["status"] == "held" else None

        settled = await eventually(held, what="the completion after missed to hold it")
        assert settled["state"] == "held"
