"""Workflow facts of a match, kept on QA's view of it with the time QA handled each
(the event's time, `now`): session reports and their action items, items completed,
feedback requests and their first answers (feedback's events). Each is kept under its
own id, so a fact delivered again (even in a new envelope) changes nothing and counts
once; the match's running totals (`items`, `items_done`) move only with a new fact.
The records hold times and counts only (workflow_docs.py)."""

from __future__ import annotations

from datetime import datetime

from mentornet_contracts.events.feedback import (
    ActionItemCompleted,
    FeedbackRequested,
    FeedbackSubmitted,
    SessionReportFiled,
)

from . import matches, triggers
from .documents import Match
from .program import Program
from .workflow_docs import FeedbackAsked, ItemDone, ReportFiled


def reported(
    state: Match | None, event: SessionReportFiled, program: Program | None, now: datetime
) -> triggers.Step:
    """The report's action items, counted once per report."""
    if state is not None and event.report_id in state.get("reports", {}):
        return None, []
    match = matches.on_report(state, event)
    filed = ReportFiled(at=now.isoformat(), count=event.action_item_count)
    return {**match, "reports": {**match.get("reports", {}), event.report_id: filed}}, []


def item_done(
    state: Match | None, event: ActionItemCompleted, program: Program | None, now: datetime
) -> triggers.Step:
    """An item completed, counted once per item."""
    if state is not None and event.item_id in state.get("items_completed", {}):
        return None, []
    match = matches.on_item_done(state, event)
    done = ItemDone(at=now.isoformat(), report_id=event.report_id, on_time=event.on_time)
    completed = {**match.get("items_completed", {}), event.item_id: done}
    return {**match, "items_completed": completed}, []


def requested(
    state: Match | None, event: FeedbackRequested, program: Program | None, now: datetime
) -> triggers.Step:
    """A feedback request: when it was asked and when it is due, nothing about whom
    (the participant id and role stay out)."""
    if state is not None and event.request_id in state.get("requests", {}):
        return None, []
    match = matches.base(state, event.match_id)
    asked = FeedbackAsked(requested_at=now.isoformat(), due_at=event.due_at.isoformat())
    return {**match, "requests": {**match.get("requests", {}), event.request_id: asked}}, []


def answered(match: Match, request_id: str, now: datetime) -> Match:
    """The request's first answer time; a revision, or an answer to a request QA never
    heard of (asked before QA kept requests), leaves the match as it is."""
    asked = match.get("requests", {}).get(request_id)
    if asked is None or "answered_at" in asked:
        return match
    first: FeedbackAsked = {**asked, "answered_at": now.isoformat()}
    return {**match, "requests": {**match.get("requests", {}), request_id: first}}


def feedback(
    state: Match | None, event: FeedbackSubmitted, program: Program | None, now: datetime
) -> triggers.Step:
    """The answer as triggers keep it (rubric, falling scores, a case), with the time of
    the request's first answer."""
    match, events = triggers.feedback(state, event, program, now)
    if match is None:
        return match, events
    return answered(match, event.request_id, now), events
