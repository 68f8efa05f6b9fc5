"""What people wrote, kept out of the match document: a request's answers and a
report's notes, agenda and action item texts each live in a document of their own.

A match document is written whole on every change and may not pass 16 MB, so it
keeps only what is small per session: statuses, times, rubric scores, ratings, flags,
an action item's owner and due date (about 6.5 KB a session at every maximum, see
tests/test_written.py). The rest goes elsewhere and the match names it by its id: a
request's answers, whole (up to 40 questions of 4,000-character text or twenty
80-character options each: a quarter of a megabyte and more), and a report's notes
(10,000 characters), agenda and action item texts.

Views are built from the match joined with its texts, so the visibility rules read
the same shapes as before. A match written before the texts moved out still holds its
words inline; it is shown as it is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import TypedDict, cast

from mentornet_chassis.errors import Conflict

from .state import ActionItem, Answers, Match, Report, Request


class ReportWords(TypedDict):
    notes: str
    agenda: list[str]
    items: dict[str, str]
    """Action item id to its text."""


class CheckinWords(TypedDict, total=False):
    """An async check-in's part (checkin_words.py): its text and the structured fields
    its author filled in."""

    text: str
    goals: list[dict[str, object]]
    next_steps: list[str]
    private_note: str


class OutcomeWords(TypedDict):
    """A milestone's evidence, an adjustment's note or an end survey's comments."""

    text: str


Body = Answers | ReportWords | CheckinWords | OutcomeWords
"""One text document's words: a request's answers, a report's words, a check-in's part
or an outcome's words."""
Texts = Mapping[str, Mapping[str, object]]
"""Text id to its words (a Body), as the texts collection gives them."""
ANSWER, REPORT, CHECKIN = "answer", "report", "checkin"
EVIDENCE, NOTE, COMMENTS = "evidence", "note", "comments"


def text_id(kind: str, part_id: str, body: Mapping[str, object]) -> str:
    """`<kind>:<part id>:<digest of the words>`. The same words make the same id, so a
    retried request rewrites its own document; other words make another, so a text the
    match did not accept can never replace one it did."""
    words = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return f"{kind}:{part_id}:{hashlib.sha256(words.encode()).hexdigest()[:16]}"


def named(*parts: Request | Report) -> list[str]:
    """The ids of the texts these requests or reports accepted."""
    return [p["text_id"] for p in parts if "text_id" in p]


def with_answers(request: Request, texts: Texts) -> Request:
    """The request with its answers, as it was shown before they moved out."""
    if "text_id" not in request:
        return {"answers": {}, **request}
    answers = cast(Answers, texts.get(request["text_id"], {}))
    shown = cast(Request, {k: v for k, v in request.items() if k != "text_id"})
    return {**shown, "answers": dict(answers)}


def with_report_text(report: Report, texts: Texts) -> Report:
    """The report with its notes, agenda and each action item's text."""
    if "text_id" not in report:
        return report
    body = cast(ReportWords, texts.get(report["text_id"], {}))
    words = body.get("items", {})
    items: dict[str, ActionItem] = {
        item_id: {"item_id": item_id, "text": words.get(item_id, ""), **item}
        for item_id, item in report["items"].items()
    }
    shown = cast(Report, {k: v for k, v in report.items() if k != "text_id"})
    return {
        **shown,
        "agenda": list(body.get("agenda", [])),
        "notes": body.get("notes", ""),
        "items": items,
    }


def joined(match: Match, texts: Texts) -> Match:
    """The match with every request's answers and every report's words back in."""
    return {
        **match,
        "requests": {k: with_answers(r, texts) for k, r in match["requests"].items()},
        "reports": {k: with_report_text(r, texts) for k, r in match["reports"].items()},
    }


def bare(part: Mapping[str, object]) -> dict[str, object]:
    """A request or report without its answers or the id of its words: what lists and
    refusals show."""
    return {k: v for k, v in part.items() if k not in ("answers", "text_id")}


def refused(reason: str, current: Mapping[str, object]) -> Conflict:
    """The state does not allow the change (HTTP 409); the body carries the part it ran
    into as lists show it."""
    return Conflict("state", reason, current=bare(current))
