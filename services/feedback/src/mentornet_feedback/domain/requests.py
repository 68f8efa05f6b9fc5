"""Survey requests and answers: two requests when a session took place, answers checked
against the template version asked for, one answer per person per session, editable
for a while, then locked; a reminder when a request is overdue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from mentornet_chassis.errors import Forbidden, NotFound
from mentornet_contracts.events.common import Role
from mentornet_contracts.events.feedback import (
    FeedbackReminderDue,
    FeedbackRequested,
    FeedbackSubmitted,
)

from . import written
from .matches import short_id
from .state import Match, Request, RequestStatus
from .templates import TEMPLATE_ID

OPEN, ANSWERED, CLOSED = RequestStatus.OPEN, RequestStatus.ANSWERED, RequestStatus.CLOSED
Scores = tuple[dict[str, int], int | None]
"""Rubric scores by dimension and the overall rating (templates.scores)."""


class NotYours(Forbidden):
    """The caller is not the person this request asks (HTTP 403)."""

    def __init__(self, reason: str) -> None:
        super().__init__("Authorization", reason)


@dataclass(frozen=True)
class Windows:
    """How long a survey is open, can be edited, and may still be answered late."""

    due_after: timedelta = timedelta(days=3)
    edit_for: timedelta = timedelta(hours=48)
    close_after: timedelta = timedelta(days=14)


def requested(
    match: Match,
    session_id: str,
    version: int,
    now: datetime,
    windows: Windows,
    gone: frozenset[str] = frozenset(),
) -> tuple[Match, list[FeedbackRequested]]:
    """A request to the mentee and to the mentor, unless they have left (`gone`);
    nothing new if they exist."""
    due = now + windows.due_after
    requests = dict(match["requests"])
    events = []
    for role, person in ((Role.MENTEE, match["mentee_id"]), (Role.MENTOR, match["mentor_id"])):
        request_id = short_id("fr", session_id, person)
        if request_id in requests or person in gone:
            continue
        requests[request_id] = {
            "request_id": request_id,
            "session_id": session_id,
            "participant_id": person,
            "role": role,
            "template_version": version,
            "requested_at": now.isoformat(),
            "due_at": due.isoformat(),
            "status": OPEN,
            "revision": 0,
            "reminded": False,
        }
        events.append(
            FeedbackRequested(
                request_id=request_id,
                match_id=match["match_id"],
                session_id=session_id,
                participant_id=person,
                role=role,
                due_at=due,
                template_id=TEMPLATE_ID,
                template_version=version,
            )
        )
    return {**match, "requests": requests}, events


def request_of(match: Match, request_id: str) -> Request:
    found = match["requests"].get(request_id)
    if found is None:
        raise NotFound("request_id", f"no feedback request {request_id}")
    return found


def answers_id(request_id: str, answers: Mapping[str, object]) -> str:
    """Where the answers are kept, apart from the match (written.py)."""
    return written.text_id(written.ANSWER, request_id, answers)


def submit(
    match: Match,
    request_id: str,
    participant_id: str,
    answers: Mapping[str, object],
    scores: Scores,
    now: datetime,
    windows: Windows,
) -> tuple[Match, FeedbackSubmitted]:
    """First answers, or an edit within the window; after it, or once closed, 409.
    The match keeps the id of the answers (written.text_id), not the answers."""
    request = request_of(match, request_id)
    if request["participant_id"] != participant_id:
        raise NotYours(f"request {request_id} is not yours")
    if request["status"] == CLOSED:
        closed_at = request.get("closed_at")
        raise written.refused(f"request {request_id} closed on {closed_at}", request)
    if request["status"] == ANSWERED and now > datetime.fromisoformat(request["edit_until"]):
        locked = f"answers to {request_id} were locked at {request['edit_until']}"
        raise written.refused(locked, request)
    first = request["status"] == OPEN
    rubric, rating = scores
    kept: Request = {k: v for k, v in request.items() if k != "answers"}  # type: ignore[assignment]
    answered: Request = {
        **kept,
        "status": ANSWERED,
        "text_id": answers_id(request_id, answers),
        "rubric": rubric,
        "rating": rating,
        "revision": request["revision"] + 1,
        "submitted_at": request.get("submitted_at") if not first else now.isoformat(),
        "edited_at": now.isoformat(),
        "edit_until": (now + windows.edit_for).isoformat() if first else request["edit_until"],
    }
    event = FeedbackSubmitted(
        request_id=request_id,
        match_id=match["match_id"],
        session_id=request["session_id"],
        participant_id=participant_id,
        role=Role(request["role"]),
        rubric=rubric,
        rating=rating,
        revision=answered["revision"],
    )
    return {**match, "requests": {**match["requests"], request_id: answered}}, event


def due(match: Match, now: datetime, windows: Windows) -> tuple[Match, list[FeedbackReminderDue]]:
    """Remind once when a request is overdue; close it when it is too late to answer."""
    requests = dict(match["requests"])
    events = []
    for request_id, request in match["requests"].items():
        if request["status"] != OPEN:
            continue
        due_at = datetime.fromisoformat(request["due_at"])
        if now >= due_at + windows.close_after:
            requests[request_id] = {**request, "status": CLOSED, "closed_at": now.isoformat()}
        elif now >= due_at and not request["reminded"]:
            requests[request_id] = {**request, "reminded": True}
            events.append(
                FeedbackReminderDue(
                    request_id=request_id,
                    match_id=match["match_id"],
                    session_id=request["session_id"],
                    participant_id=request["participant_id"],
                    due_at=due_at,
                )
            )
    changed: Match = {**match, "requests": requests}
    return {**changed, "due_epoch": next_due(changed, windows)}, events


def next_due(match: Match, windows: Windows) -> float | None:
    times = []
    for request in match["requests"].values():
        if request["status"] == OPEN:
            due_at = datetime.fromisoformat(request["due_at"])
            times.append(due_at + windows.close_after if request["reminded"] else due_at)
    return min(times).timestamp() if times else None


def close_for(match: Match, participant_id: str, now: datetime) -> Match:
    """A withdrawn participant's open requests close: no reminders, no late answers."""
    requests: dict[str, Request] = {
        k: (
            {**v, "status": CLOSED, "closed_at": now.isoformat()}
            if v["participant_id"] == participant_id and v["status"] == OPEN
            else v
        )
        for k, v in match["requests"].items()
    }
    return {**match, "requests": requests}
