"""Session reports, action items and goal progress over HTTP, and the aggregates per
match, per mentor and per program. A report's words are kept apart from the match
(writing.py); what returns them joins them back in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends
from mentornet_chassis.errors import NotFound
from mentornet_chassis.http.auth import Principal
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.store.aggregates import Decision, State
from mentornet_contracts import new_envelope

from . import access, writing
from .api_errors import refusals
from .domain import goals, reports, summary, visibility, written
from .domain.matches import short_id
from .store import FeedbackStores

SERVICE = "feedback"
SEE = (*access.PAIR, *access.QA_TEAM)


def create_router(
    stores: FeedbackStores,
    clock: Callable[[], datetime],
    wake_relay: Callable[[], None],
) -> APIRouter:
    router = guarded_router(tags=["reports and progress"])

    async def changed(match_id: str, step: Callable[[State], tuple[State, list[Any]]]) -> State:
        def decide(state: State | None) -> Decision:
            assert state is not None
            new, events = step(state)
            return Decision(new, [new_envelope(e, SERVICE) for e in events])

        with refusals():
            applied = await stores.matches.apply(match_id, decide)
        wake_relay()
        assert applied.state is not None
        return applied.state

    async def session_match(session_id: str) -> State:
        match = await stores.match_of("session", session_id)
        if match is None or session_id not in match["sessions"]:
            raise NotFound("session_id", f"no session {session_id} here")
        return match

    @router.post(
        "/sessions/{session_id}/report",
        status_code=201,
        **allow("reports.file", Grant.MENTOR, on="session"),
    )
    async def file_report(
        session_id: str, body: reports.ReportBody, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        """The mentor's report: agenda, notes (private to the program team), action items
        and risk flags (each flag is a risk signal for QA). One per session."""
        match = await session_match(session_id)
        report_id = short_id("sr", session_id)
        items = [reports.action_item_id(report_id, n) for n in range(len(body.action_items))]
        await stores.lookup("item").put(match["match_id"], items)
        now = clock()
        text_id, text = reports.text_of(report_id, body)
        words = writing.Words(text_id, match["mentor_id"], text)

        def step(m: State) -> tuple[State, list[Any]]:
            filed, events = reports.file(m, session_id, match["mentor_id"], body, now)
            return filed, list(events)

        with refusals():
            state = await writing.save_with_words(
                stores, match, words, step, writing.part("reports", report_id)
            )
        wake_relay()
        report = written.with_report_text(state["reports"][report_id], {text_id: text})
        return visibility.report_view(report, "mentor")

    @router.get("/sessions/{session_id}/report", **allow("reports.read", *SEE, on="session"))
    async def read_report(
        session_id: str, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        match = await session_match(session_id)
        reader = access.reader(principal, match)
        report = match["reports"].get(short_id("sr", session_id))
        if report is None:
            raise NotFound("session_id", f"no report for session {session_id} yet")
        texts = await stores.texts.get_many(written.named(report))
        return visibility.report_view(written.with_report_text(report, texts), reader)

    @router.post(
        "/action-items/{item_id}/complete",
        **allow("reports.complete_item", *access.PAIR, *access.TEAM, on="item"),
    )
    async def complete(item_id: str) -> dict[str, Any]:
        """Done: by its owner, the mentor or a coordinator."""
        match = await stores.match_of("item", item_id)
        if match is None:
            raise NotFound("item_id", f"no action item {item_id}")
        now = clock()
        state = await changed(match["match_id"], lambda m: _one(reports.complete(m, item_id, now)))
        report, _ = reports.find_item(state, item_id)
        texts = await stores.texts.get_many(written.named(report))
        done: dict[str, Any] = written.with_report_text(report, texts)["items"][item_id]
        return done

    @router.post(
        "/matches/{match_id}/goals/{goal_id}/progress",
        status_code=201,
        **allow("goals.progress", *access.PAIR, *access.TEAM, on="match"),
    )
    async def progress(
        match_id: str, goal_id: str, body: goals.Progress, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        """Where the mentee stands on one goal: percent, status, milestones reached."""
        match = await stores.matches.get_state(match_id)
        if match is None:
            raise NotFound("match_id", f"no match {match_id} here")
        person = await stores.people.get_state(match["mentee_id"])
        by = access.reading_as(principal, match)
        now = clock()
        state = await changed(
            match_id, lambda m: _one(goals.record(m, person, goal_id, body, by, now))
        )
        return {"match_id": match_id, "goal_id": goal_id, **state["goals"][goal_id]}

    @router.get(
        "/participants/{participant_id}/goals",
        **allow("goals.of_person", Grant.SELF, *access.QA_TEAM, on="participant", hide=True),
    )
    async def goals_of(participant_id: str) -> dict[str, Any]:
        """The mentee's goals as last changed, every pivot with its reason, and progress
        recorded in each of their matches."""
        person = await stores.people.get_state(participant_id)
        if person is None or person.get("status") != "active":
            raise NotFound("participant_id", f"no mentee {participant_id} here")
        theirs = [
            m for m in await stores.matches_of(participant_id) if m["mentee_id"] == participant_id
        ]
        return {**person, "progress": {m["match_id"]: m["goals"] for m in theirs}}

    @router.get(
        "/matches/{match_id}/feedback/summary", **allow("feedback.match_summary", *SEE, on="match")
    )
    async def match_summary(
        match_id: str, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        match = await stores.matches.get_state(match_id)
        if match is None:
            raise NotFound("match_id", f"no match {match_id} here")
        reader = access.reader(principal, match)
        shown = visibility.redacted(
            match, reader, access.reading_as(principal, match), await stores.private_of(match)
        )
        return {"match_id": match_id, **summary.summarize([shown], clock().date())}

    @router.get(
        "/mentors/{mentor_id}/feedback/summary",
        **allow("feedback.mentor_summary", Grant.SELF, *access.QA_TEAM, on="mentor", hide=True),
    )
    async def mentor_summary(
        mentor_id: str, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        """What the mentor's mentees said, across every match the mentor has."""
        found = await stores.mentored_by(mentor_id)
        if principal.is_self(mentor_id):
            found = [
                visibility.redacted(m, "mentor", mentor_id, await stores.private_of(m))
                for m in found
            ]
        else:
            found = [m for m in found if access.overseer(principal, m["program_id"])]
        return {"mentor_id": mentor_id, **summary.summarize(found, clock().date(), role="mentee")}

    @router.get(
        "/programs/{program_id}/feedback/summary",
        **allow("feedback.program_summary", *access.QA_TEAM, on="program"),
    )
    async def program_summary(program_id: str) -> dict[str, Any]:
        found = await stores.matches_in(program_id)
        return {"program_id": program_id, **summary.summarize(found, clock().date())}

    return router


def _one(change: tuple[State, Any]) -> tuple[State, list[Any]]:
    state, event = change
    return state, [event]
