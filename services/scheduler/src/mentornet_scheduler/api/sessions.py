"""Sessions over HTTP: list a participant's or a match's sessions, read one, move,
cancel, record attendance, book an extra session, find open times."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from mentornet_chassis.http.guard import SignedIn, guarded_router
from mentornet_chassis.http.policy import PAIR, TEAM, Grant, allow
from mentornet_chassis.http.provided import provided
from mentornet_contracts.events.sessions import Attendance, SessionType
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ..domain.views import match_view, session_in
from ..domain.windows import zone
from ..usecases.desk import Desk
from ..usecases.queries import Queries
from . import access
from .views import MatchSession, MatchSessions, OpenSlots, ParticipantSessions


class Move(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "starts_at": "2030-03-14T10:30:00+01:00",
                    "reason": "Clashes with the quarterly planning offsite.",
                }
            ]
        },
    )

    starts_at: AwareDatetime = Field(description="New start, with its UTC offset.")
    reason: str = Field(default="", max_length=500, description="Why it moves.")


class Cancel(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reason": "The mentor is at a customer site all that week."}]
        },
    )

    reason: str = Field(default="", max_length=500, description="Why it is cancelled.")


class AttendanceRecord(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"attendance": "attended"}]}
    )

    attendance: Attendance = Field(description="Who turned up.")


class ExtraSession(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "starts_at": "2030-03-12T16:00:00+01:00",
                    "session_type": "milestone_review",
                    "duration_minutes": 60,
                }
            ]
        },
    )

    starts_at: AwareDatetime = Field(description="Start, with its UTC offset.")
    session_type: SessionType = Field(default=SessionType.REGULAR, description="Kind of session.")
    duration_minutes: int | None = Field(
        default=None, ge=5, le=480, description="Default: the cadence's."
    )


Answer = dict[str, object]
"""A JSON answer, checked and described by the route's response model."""
Sessions = Annotated[Desk, Depends(provided(Desk))]
Reads = Annotated[Queries, Depends(provided(Queries))]
router = guarded_router(tags=["sessions"])


@router.get(
    "/participants/{participant_id}/sessions",
    response_model=ParticipantSessions,
    response_model_exclude_unset=True,
    **allow(
        "sessions.of_person",
        Grant.SELF,
        *TEAM,
        on="participant",
        hide=True,
    ),
)
async def of_participant(
    participant_id: str,
    reads: Reads,
    principal: SignedIn,
    status: str | None = Query(default=None, description="Only sessions in this status."),
) -> Answer:
    """A participant's sessions in every match, soonest first. Coordinators see the
    ones in their programs."""
    found = await reads.sessions_of(participant_id, access.viewer(principal), status)
    return {"participant_id": participant_id, "sessions": found}


@router.get(
    "/matches/{match_id}/sessions",
    response_model=MatchSessions,
    response_model_exclude_unset=True,
    **allow("sessions.of_match", *PAIR, *TEAM, on="match"),
)
async def of_match(match_id: str, reads: Reads) -> Answer:
    """The match's booking state (waiting, booked, failed and why) and its sessions."""
    return match_view(await reads.match(match_id))


@router.post(
    "/matches/{match_id}/sessions",
    status_code=201,
    response_model=MatchSession,
    response_model_exclude_unset=True,
    **allow("sessions.book_extra", Grant.MENTOR, *TEAM, on="match"),
)
async def book_extra(match_id: str, body: ExtraSession, desk: Sessions, reads: Reads) -> Answer:
    """Book one more session by hand (a milestone review, a make-up session)."""
    match = await reads.match(match_id)
    state = await desk.add(match, body.starts_at, body.session_type, body.duration_minutes)
    return session_in(state, state["sessions"][-1]["session_id"])


@router.get(
    "/matches/{match_id}/slots",
    response_model=OpenSlots,
    **allow("sessions.open_slots", *PAIR, *TEAM, on="match"),
)
async def open_slots(
    match_id: str,
    desk: Sessions,
    reads: Reads,
    timezone: str = Query(default="UTC", description="IANA zone to show local times in."),
    limit: int = Query(default=10, ge=1, le=100),
    start: AwareDatetime | None = Query(default=None, alias="from", description="From."),
    end: AwareDatetime | None = Query(default=None, alias="to", description="Until."),
) -> Answer:
    """Open times inside both people's windows, or none and why not."""
    match = await reads.match(match_id)
    local = zone(timezone)
    starts, reason = await desk.open_times(match, limit, start, end)
    return {
        "match_id": match_id,
        "slots": [
            {"starts_at": s.isoformat(), "local_start": s.astimezone(local).isoformat()}
            for s in starts
        ],
        "reason": reason or None,
    }


@router.get(
    "/sessions/{session_id}",
    response_model=MatchSession,
    response_model_exclude_unset=True,
    **allow("sessions.read", *PAIR, *TEAM, on="session"),
)
async def one(session_id: str, reads: Reads) -> Answer:
    return session_in(await reads.match_with_session(session_id), session_id)


@router.post(
    "/sessions/{session_id}/reschedule",
    response_model=MatchSession,
    response_model_exclude_unset=True,
    **allow("sessions.reschedule", *PAIR, *TEAM, on="session"),
)
async def reschedule(session_id: str, body: Move, desk: Sessions, reads: Reads) -> Answer:
    """Move a session: it must fit both calendars, the buffer and the mentor's hours."""
    match = await reads.match_with_session(session_id)
    state = await desk.reschedule(match, session_id, body.starts_at, body.reason)
    return session_in(state, session_id)


@router.post(
    "/sessions/{session_id}/cancel",
    response_model=MatchSession,
    response_model_exclude_unset=True,
    **allow("sessions.cancel", *PAIR, *TEAM, on="session"),
)
async def cancel(session_id: str, body: Cancel, desk: Sessions, reads: Reads) -> Answer:
    match = await reads.match_with_session(session_id)
    state = await desk.cancel(match, session_id, body.reason)
    return session_in(state, session_id)


@router.post(
    "/sessions/{session_id}/attendance",
    response_model=MatchSession,
    response_model_exclude_unset=True,
    **allow("sessions.attendance", *PAIR, *TEAM, on="session"),
)
async def attendance(
    session_id: str, body: AttendanceRecord, desk: Sessions, reads: Reads, principal: SignedIn
) -> Answer:
    """Attended, or who did not turn up; no-shows count towards a stall."""
    match = await reads.match_with_session(session_id)
    state = await desk.attendance(match, session_id, body.attendance, access.viewer(principal))
    return session_in(state, session_id)
