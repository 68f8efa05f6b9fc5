"""The documents feedback keeps, typed: the match aggregate (its sessions, survey
requests, session reports with their action items, goal progress) and the person
(a mentee's goals as intake last published them). TypedDicts, so the stored shape is
exactly what it was; every status is a StrEnum, so stored and JSON values are the same
strings as before.

Keys marked NotRequired appear only once something happened (an answer, a closing),
or only in documents written before the words moved out of the match (written.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import NotRequired, TypedDict

from mentornet_contracts.events.common import Role
from mentornet_contracts.events.feedback import GoalStatus
from mentornet_contracts.events.sessions import SessionType

from .outcome_state import Outcomes

AnswerValue = int | str | list[str]
"""One checked answer: a score, a choice or a text, or several choices."""
Answers = dict[str, AnswerValue]


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    MISSED = "missed"
    COMPLETED = "completed"


class RequestStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class CheckinStatus(StrEnum):
    """An async check-in as the scheduler left it: scheduled (taking its two parts
    between opens_at and due_at), or settled (held, missed) or cancelled."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    HELD = "held"
    MISSED = "missed"


class PersonStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"


class Session(TypedDict):
    session_id: str
    sequence: int
    session_type: SessionType
    starts_at: str
    status: SessionStatus
    completed_at: NotRequired[str]


class Request(TypedDict):
    """A survey sent to one person after one session."""

    request_id: str
    session_id: str
    participant_id: str
    role: Role
    template_version: int
    requested_at: str
    due_at: str
    status: RequestStatus
    revision: int
    reminded: bool
    text_id: NotRequired[str]
    """Where the answers are kept (written.py)."""
    answers: NotRequired[Answers]
    """Inline in requests answered before the answers moved out; joined back in views."""
    rubric: NotRequired[dict[str, int]]
    rating: NotRequired[int | None]
    submitted_at: NotRequired[str | None]
    edited_at: NotRequired[str]
    edit_until: NotRequired[str]
    closed_at: NotRequired[str]


class ActionItem(TypedDict):
    item_id: str
    owner: Role
    due_date: str
    completed_at: str | None
    text: NotRequired[str]
    """Inline in reports filed before the words moved out; joined back in views."""


class Report(TypedDict):
    """A mentor's session report; its words (notes, agenda, item texts) live apart."""

    report_id: str
    session_id: str
    author_id: str
    filed_at: str
    items: dict[str, ActionItem]
    risk_flags: list[str]
    text_id: NotRequired[str]
    agenda: NotRequired[list[str]]
    notes: NotRequired[str]


class ProgressEntry(TypedDict):
    at: str
    by: str
    percent: int
    status: GoalStatus
    milestones_reached: int
    note: str


class GoalProgress(TypedDict):
    """Where the mentee stands on one goal in this match, with its recent history."""

    at: str
    by: str
    percent: int
    status: GoalStatus
    milestones_reached: int
    history: list[ProgressEntry]
    history_dropped: int


class CheckinPart(TypedDict):
    """The mentee's reflection or the mentor's reply; its words live apart
    (written.py), and are gone (no text_id) once their author was erased."""

    author_id: str
    submitted_at: str
    text_id: NotRequired[str]


class Checkin(TypedDict):
    """An async session (session.scheduled with format async): a written reflection
    by the mentee, then a written reply by the mentor, between opens_at and due_at."""

    session_id: str
    sequence: int
    opens_at: str
    due_at: str
    status: CheckinStatus
    reflection: NotRequired[CheckinPart]
    reply: NotRequired[CheckinPart]


class Match(TypedDict):
    """One aggregate per match (the feedback topic is keyed by match id)."""

    match_id: str
    program_id: str
    mentor_id: str
    mentee_id: str
    sessions: dict[str, Session]
    requests: dict[str, Request]
    reports: dict[str, Report]
    goals: dict[str, GoalProgress]
    rubric_risk: bool
    due_epoch: float | None
    checkins: NotRequired[dict[str, Checkin]]
    """Async sessions by session id; absent in matches that never had one."""
    outcomes: NotRequired[Outcomes]
    """What the match achieved (outcomes.py); absent until match.confirmed or an
    outcome was first recorded."""


class Pivot(TypedDict):
    """A change to the mentee's goals, with its reason."""

    at: str
    reason: str
    added: list[str]
    removed: list[str]


class Person(TypedDict):
    """A participant as feedback knows them: gone or not, and a mentee's goals (each as
    intake published it, mentornet_contracts.events.common.Goal in JSON)."""

    participant_id: str
    status: PersonStatus
    goals: list[dict[str, object]]
    pivots: list[Pivot]
    program_id: NotRequired[str]
    skill_baseline: NotRequired[list[dict[str, object]]]
    """The mentee's levels at registration (SkillLevel in JSON), for the baseline."""
