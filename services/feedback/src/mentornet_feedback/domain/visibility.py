"""What each reader sees of a match's feedback. Answers marked private (free text,
scores alike) are seen only by their author, the program's coordinators and QA
reviewers; the other party sees shared answers. A report's notes are for the mentor
who wrote them and the program team; the mentee sees its agenda and action items."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, NotRequired, TypedDict, cast

from .state import ActionItem, GoalProgress, Match, Report, Request
from .templates import Private

Reader = Literal["overseer", "mentor", "mentee"]


@dataclass(frozen=True)
class Viewer:
    """Who reads, as far as what they see depends on it: the ids naming them (their
    subject and enrolments) and the programs they oversee (coordinate or review; a
    service account oversees all). Built from the caller at the HTTP edge."""

    subject: str
    ids: frozenset[str]
    oversees_all: bool = False
    overseen: frozenset[str] = frozenset()

    def is_self(self, participant_id: str) -> bool:
        return participant_id in self.ids

    def oversees(self, program_id: str) -> bool:
        return self.oversees_all or program_id in self.overseen

    def reader(self, match: Match) -> Reader:
        """How a caller the policy admitted to the match reads it."""
        if match["mentor_id"] in self.ids:
            return "mentor"
        if match["mentee_id"] in self.ids:
            return "mentee"
        return "overseer"

    def reading_as(self, match: Match) -> str:
        """The id a caller reads a match as: their enrolment in it, else their subject."""
        for participant_id in (match["mentor_id"], match["mentee_id"]):
            if participant_id in self.ids:
                return participant_id
        return self.subject


class ReportView(TypedDict):
    """A report as a reader sees it: its action items listed; without the notes and
    risk flags for the mentee."""

    report_id: str
    session_id: str
    author_id: str
    filed_at: str
    action_items: list[ActionItem]
    agenda: NotRequired[list[str]]
    notes: NotRequired[str]
    risk_flags: NotRequired[list[str]]


class MatchView(TypedDict):
    match_id: str
    program_id: str
    mentor_id: str
    mentee_id: str
    requests: list[Request]
    reports: list[ReportView]
    goals: dict[str, GoalProgress]


def request_view(request: Request, reader: Reader, reader_id: str, private: Private) -> Request:
    """`request` as joined with its answers (written.py); without them (a summary needs
    only the scores) it is redacted all the same."""
    if request["participant_id"] == reader_id or reader == "overseer":
        return request
    shown: Request = {
        **request,
        "rubric": {
            k: v for k, v in request.get("rubric", {}).items() if k not in private.dimensions
        },
        "rating": None if private.rating else request.get("rating"),
    }
    if "answers" in request:
        shown["answers"] = {k: v for k, v in request["answers"].items() if k not in private.ids}
    return shown


def redacted(
    match: Match, reader: Reader, reader_id: str, private_of: Mapping[int, Private]
) -> Match:
    """The match with every request as this reader may see it (summaries are computed
    on this, so they cannot reveal a private score either)."""
    requests = {
        rid: request_view(r, reader, reader_id, private_of.get(r["template_version"], Private()))
        for rid, r in match["requests"].items()
    }
    return {**match, "requests": requests}


def report_view(report: Report, reader: Reader) -> ReportView:
    """`report` joined with its words (written.with_report_text)."""
    shown = {k: v for k, v in report.items() if k != "items"}
    shown["action_items"] = list(report["items"].values())
    if reader == "mentee":
        shown.pop("notes", None)
        shown.pop("risk_flags", None)
    return cast(ReportView, shown)


def match_view(
    match: Match, reader: Reader, reader_id: str, private_of: Mapping[int, Private]
) -> MatchView:
    """`match` joined with its texts (written.joined); `private_of`: template version to
    its private parts."""
    shown = redacted(match, reader, reader_id, private_of)
    return {
        "match_id": match["match_id"],
        "program_id": match["program_id"],
        "mentor_id": match["mentor_id"],
        "mentee_id": match["mentee_id"],
        "requests": list(shown["requests"].values()),
        "reports": [report_view(r, reader) for r in match["reports"].values()],
        "goals": match["goals"],
    }
