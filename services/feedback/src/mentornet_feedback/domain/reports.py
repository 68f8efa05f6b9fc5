"""Session reports by mentors: agenda, notes, action items with an owner and a due
date, and risk flags. A flag is published as a risk signal for QA; completed action
items count towards the match's follow-up completion."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from mentornet_chassis.errors import NotFound
from mentornet_contracts.events.common import Role
from mentornet_contracts.events.feedback import (
    ActionItemCompleted,
    RiskFlag,
    RiskFlagged,
    RiskSource,
    SessionReportFiled,
)
from pydantic import BaseModel, ConfigDict, Field

from . import written
from .matches import short_id
from .state import ActionItem as ItemState
from .state import Match, Report, SessionStatus


class ActionItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1, max_length=500)
    owner: Role = Role.MENTEE
    due_date: date


class ReportBody(BaseModel):
    """The body of POST /sessions/{id}/report."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "agenda": ["Review the payments API design doc", "Plan the design review"],
                    "notes": "Amara has a solid draft; the retry rules need a clearer owner."
                    " She is nervous about presenting to the staff engineers.",
                    "action_items": [
                        {
                            "text": "Send the design doc to two reviewers",
                            "owner": "mentee",
                            "due_date": "2030-01-15",
                        },
                        {
                            "text": "Introduce Amara to the API guild lead",
                            "owner": "mentor",
                            "due_date": "2030-01-10",
                        },
                    ],
                    "risk_flags": [],
                }
            ]
        },
    )

    agenda: tuple[Annotated[str, Field(min_length=1, max_length=300)], ...] = Field(
        default=(), max_length=20
    )
    notes: str = Field(default="", max_length=10_000, description="Private to the program team.")
    action_items: tuple[ActionItem, ...] = Field(default=(), max_length=30)
    risk_flags: tuple[RiskFlag, ...] = Field(default=(), max_length=4)


def action_item_id(report_id: str, n: int) -> str:
    return short_id("ai", report_id, str(n))


def text_of(report_id: str, body: ReportBody) -> tuple[str, written.ReportWords]:
    """The report's words (notes, agenda, each action item's text) and their id: they
    are kept apart from the match (see written.py)."""
    words: written.ReportWords = {
        "notes": body.notes,
        "agenda": list(body.agenda),
        "items": {
            action_item_id(report_id, n): item.text for n, item in enumerate(body.action_items)
        },
    }
    return written.text_id(written.REPORT, report_id, words), words


def file(
    match: Match, session_id: str, author_id: str, body: ReportBody, now: datetime
) -> tuple[Match, list[SessionReportFiled | RiskFlagged]]:
    if session_id not in match["sessions"]:
        raise NotFound("session_id", f"no session {session_id} in match {match['match_id']}")
    session = match["sessions"][session_id]
    status = session["status"]
    if status in (SessionStatus.CANCELLED, SessionStatus.MISSED):
        raise written.refused(f"session {session_id} was {status}, not held", session)
    if status == SessionStatus.SCHEDULED and datetime.fromisoformat(session["starts_at"]) > now:
        raise written.refused(f"session {session_id} has not taken place yet", session)
    report_id = short_id("sr", session_id)
    if report_id in match["reports"]:
        already = match["reports"][report_id]
        raise written.refused(f"session {session_id} already has a report", already)
    items: dict[str, ItemState] = {
        action_item_id(report_id, n): {
            "item_id": action_item_id(report_id, n),
            "owner": item.owner,
            "due_date": item.due_date.isoformat(),
            "completed_at": None,
        }
        for n, item in enumerate(body.action_items)
    }
    report: Report = {
        "report_id": report_id,
        "session_id": session_id,
        "author_id": author_id,
        "filed_at": now.isoformat(),
        "text_id": text_of(report_id, body)[0],
        "items": items,
        "risk_flags": [str(f) for f in set(body.risk_flags)],
    }
    events: list[SessionReportFiled | RiskFlagged] = [
        SessionReportFiled(
            report_id=report_id,
            match_id=match["match_id"],
            session_id=session_id,
            action_item_count=len(items),
            risk_flags=tuple(sorted(set(body.risk_flags))),
        )
    ]
    events += [
        RiskFlagged(
            match_id=match["match_id"], flag=f, source=RiskSource.REPORT, session_id=session_id
        )
        for f in sorted(set(body.risk_flags))
    ]
    return {**match, "reports": {**match["reports"], report_id: report}}, events


def find_item(match: Match, item_id: str) -> tuple[Report, ItemState]:
    for report in match["reports"].values():
        if item_id in report["items"]:
            return report, report["items"][item_id]
    raise NotFound("item_id", f"no action item {item_id}")


def complete(match: Match, item_id: str, now: datetime) -> tuple[Match, ActionItemCompleted]:
    report, item = find_item(match, item_id)
    if item["completed_at"] is not None:
        completed_at = item["completed_at"]
        raise written.refused(f"action item {item_id} was completed at {completed_at}", item)
    done: ItemState = {**item, "completed_at": now.isoformat()}
    changed: Report = {**report, "items": {**report["items"], item_id: done}}
    event = ActionItemCompleted(
        item_id=item_id,
        report_id=report["report_id"],
        match_id=match["match_id"],
        session_id=report["session_id"],
        owner=Role(item["owner"]),
        on_time=now.date() <= date.fromisoformat(item["due_date"]),
    )
    return {**match, "reports": {**match["reports"], report["report_id"]: changed}}, event
