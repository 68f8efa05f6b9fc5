"""What the two people of an async check-in write (checkins.py): the bodies of the
reflection and the reply, the words kept for each (written.py), and what a reader sees
of a check-in.

Both people and the program's team read a check-in's parts; a reflection's
`private_note` is for the program team (and its author), never the mentor.
"""

from __future__ import annotations

from typing import Annotated, NotRequired, TypedDict, cast

from mentornet_contracts.events.common import Id, Role
from mentornet_contracts.events.feedback import GoalStatus
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from . import written
from .checkins import CheckinState
from .state import Checkin, CheckinPart, CheckinStatus, Match
from .visibility import Reader
from .written import CheckinWords

MAX_TEXT = 10_000
MAX_GOALS = 20
MAX_STEPS = 10


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(_not_blank)]
NextStep = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_not_blank)]


class GoalNote(BaseModel):
    """Where the mentee stands on one of their goals, in their own words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    goal_id: Id
    status: GoalStatus | None = None
    percent: int | None = Field(default=None, ge=0, le=100)
    note: str = Field(default="", max_length=1000)


class ReflectionBody(BaseModel):
    """The body of POST /checkins/{session_id}/reflection."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "text": "I walked my team through the first draft of the payments API design"
                    " doc. The questions on idempotency caught me out, so I want to go"
                    " over retries before the review.",
                    "goals": [
                        {
                            "goal_id": "g1",
                            "status": "on_track",
                            "percent": 40,
                            "note": "Design doc drafted; review booked with the platform team.",
                        }
                    ],
                    "next_steps": [
                        "Send the design doc to Priya for a first read",
                        "Write up the retry and idempotency rules",
                    ],
                    "private_note": "A heavy on-call month: I may need to skip a week.",
                }
            ]
        },
    )

    text: Text = Field(description="The mentee's reflection since the last check-in.")
    goals: tuple[GoalNote, ...] = Field(
        default=(), max_length=MAX_GOALS, description="Progress on the mentee's goals."
    )
    next_steps: tuple[NextStep, ...] = Field(default=(), max_length=MAX_STEPS)
    private_note: str = Field(
        default="", max_length=4000, description="For the program team; the mentor never sees it."
    )


class ReplyBody(BaseModel):
    """The body of POST /checkins/{session_id}/reply."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "text": "Good progress on the doc. Reviewers will ask about failure modes"
                    " first, so open with them and keep the happy path short.",
                    "next_steps": ["Read the last two incident reviews on the payments API"],
                }
            ]
        },
    )

    text: Text = Field(description="The mentor's reply to the reflection.")
    next_steps: tuple[NextStep, ...] = Field(default=(), max_length=MAX_STEPS)


def words(body: ReflectionBody | ReplyBody) -> CheckinWords:
    """What is kept of a part: its text and the fields its author filled in."""
    said = body.model_dump(mode="json")
    return cast(CheckinWords, {k: v for k, v in said.items() if k == "text" or v})


def words_id(session_id: str, role: Role, said: CheckinWords) -> str:
    return written.text_id(written.CHECKIN, f"{session_id}:{role}", cast(dict[str, object], said))


class PartView(TypedDict):
    author_id: str
    submitted_at: str
    text: NotRequired[str]
    goals: NotRequired[list[dict[str, object]]]
    next_steps: NotRequired[list[str]]
    private_note: NotRequired[str]


class CheckinView(TypedDict):
    session_id: str
    match_id: str
    program_id: str
    mentor_id: str
    mentee_id: str
    sequence: int
    opens_at: str
    due_at: str
    status: CheckinStatus
    state: CheckinState
    reflection: NotRequired[PartView]
    reply: NotRequired[PartView]


def _part(part: CheckinPart, texts: written.Texts, hide: frozenset[str]) -> PartView:
    said = texts.get(part.get("text_id", ""), {})
    shown = {k: v for k, v in said.items() if k not in hide}
    return cast(
        PartView, {**shown, "author_id": part["author_id"], "submitted_at": part["submitted_at"]}
    )


def view(
    match: Match, checkin: Checkin, state: CheckinState, texts: written.Texts, reader: Reader
) -> CheckinView:
    """`texts`: the words the parts name (a part whose author was erased has none)."""
    shown: CheckinView = {
        "session_id": checkin["session_id"],
        "match_id": match["match_id"],
        "program_id": match["program_id"],
        "mentor_id": match["mentor_id"],
        "mentee_id": match["mentee_id"],
        "sequence": checkin["sequence"],
        "opens_at": checkin["opens_at"],
        "due_at": checkin["due_at"],
        "status": checkin["status"],
        "state": state,
    }
    hidden = frozenset({"private_note"}) if reader == "mentor" else frozenset()
    if "reflection" in checkin:
        shown["reflection"] = _part(checkin["reflection"], texts, hidden)
    if "reply" in checkin:
        shown["reply"] = _part(checkin["reply"], texts, frozenset())
    return shown
