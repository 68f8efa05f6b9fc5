"""What each reader sees of a match's feedback. Answers marked private (free text,
scores alike) are seen only by their author, the program's coordinators and QA
reviewers; the other party sees shared answers. A report's notes are for the mentor
who wrote them and the program team; the mentee sees its agenda and action items."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from .matches import Match
from .templates import Private

Reader = Literal["overseer", "mentor", "mentee"]


def request_view(
    request: dict[str, Any], reader: Reader, reader_id: str, private: Private
) -> dict[str, Any]:
    """`request` as joined with its answers (written.py); without them (a summary needs
    only the scores) it is redacted all the same."""
    if request["participant_id"] == reader_id or reader == "overseer":
        return dict(request)
    shown = {
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


def report_view(report: dict[str, Any], reader: Reader) -> dict[str, Any]:
    """`report` joined with its words (written.with_report_text)."""
    shown = {k: v for k, v in report.items() if k != "items"}
    shown["action_items"] = list(report["items"].values())
    if reader == "mentee":
        shown.pop("notes", None)
        shown.pop("risk_flags", None)
    return shown


def match_view(
    match: Match, reader: Reader, reader_id: str, private_of: Mapping[int, Private]
) -> dict[str, Any]:
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
