"""What each reader sees of a match's feedback. Free-text answers marked private are
seen only by their author, the program's coordinators and QA reviewers; the other
party sees shared answers. A report's notes are for the mentor who wrote them and the
program team; the mentee sees its agenda and action items."""

from __future__ import annotations

from typing import Any, Literal

from .matches import Match

Reader = Literal["overseer", "mentor", "mentee"]


def request_view(
    request: dict[str, Any], reader: Reader, reader_id: str, private: set[str]
) -> dict[str, Any]:
    own = request["participant_id"] == reader_id
    answers = request["answers"]
    if not own and reader != "overseer":
        answers = {k: v for k, v in answers.items() if k not in private}
    return {k: v for k, v in request.items() if k not in ("answers",)} | {"answers": answers}


def report_view(report: dict[str, Any], reader: Reader) -> dict[str, Any]:
    shown = {k: v for k, v in report.items() if k != "items"}
    shown["action_items"] = list(report["items"].values())
    if reader == "mentee":
        shown.pop("notes", None)
        shown.pop("risk_flags", None)
    return shown


def match_view(
    match: Match, reader: Reader, reader_id: str, private_of: dict[int, set[str]]
) -> dict[str, Any]:
    """`private_of`: template version to its private question ids."""
    return {
        "match_id": match["match_id"],
        "program_id": match["program_id"],
        "mentor_id": match["mentor_id"],
        "mentee_id": match["mentee_id"],
        "requests": [
            request_view(r, reader, reader_id, private_of.get(r["template_version"], set()))
            for r in match["requests"].values()
        ],
        "reports": [report_view(r, reader) for r in match["reports"].values()],
        "goals": match["goals"],
    }
