"""Sessions over HTTP: list a participant's or a match's sessions, read one, move,
cancel, record attendance, book an extra session, find open times."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Depends, Query
from mentornet_chassis.errors import Conflict, Invalid, NotFound
from mentornet_chassis.http.auth import Principal
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_contracts.events.sessions import Attendance, SessionType
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from . import access
from .desk import Desk
from .domain import matches, sessions
from .domain.windows import UnknownZone, zone
from .store import SchedulerStores


class Move(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime = Field(description="New start, with its UTC offset.")
    reason: str = Field(default="", max_length=500, description="Why it moves.")


class Cancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=500, description="Why it is cancelled.")


class AttendanceRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attendance: Attendance = Field(description="Who turned up.")


class ExtraSession(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime = Field(description="Start, with its UTC offset.")
    session_type: SessionType = Field(default=SessionType.REGULAR, description="Kind of session.")
    duration_minutes: int | None = Field(
        default=None, ge=5, le=480, description="Default: the cadence's."
    )


@contextmanager
def domain_errors() -> Iterator[None]:
    """The domain's refusals as the API's error bodies: 409 with the session's state,
    422 naming the field, 404 for an unknown session."""
    try:
        yield
    except sessions.SessionConflict as exc:
        shown = view(exc.session) if exc.session is not None else None
        raise Conflict("session_id", str(exc), session=shown) from None
    except sessions.Invalid as exc:
        raise Invalid(exc.field, exc.reason) from None
    except LookupError as exc:
        raise NotFound("session_id", f"no session {exc}") from None


def view(session: dict[str, Any]) -> dict[str, Any]:
    hidden = ("reminders", "booking_id", "counted", "prompted")
    return {k: v for k, v in session.items() if k not in hidden}


def match_view(match: dict[str, Any]) -> dict[str, Any]:
    return {
        "match_id": match["match_id"],
        "program_id": match["program_id"],
        "mentor_id": match["mentor_id"],
        "mentee_id": match["mentee_id"],
        "status": match["status"],
        "booking": match["booking"],
        "waiting_for": match.get("waiting"),
        "failure": match.get("failure"),
        "cohort_id": match.get("cohort_id"),
        "missed_in_a_row": match["missed_in_a_row"],
        "stalled": sorted(k for k, v in match["stalled"].items() if v),
        "sessions": [view(s) for s in match["sessions"]],
    }


SEE = (Grant.MENTOR, Grant.MENTEE, Grant.COORDINATOR, Grant.SERVICE)
CHANGE = SEE


def create_router(stores: SchedulerStores, desk: Desk) -> APIRouter:
    router = guarded_router(tags=["sessions"])

    async def match_of(match_id: str) -> dict[str, Any]:
        match = await stores.matches.get_state(match_id)
        if match is None:
            raise NotFound("match_id", f"no match {match_id} here (not confirmed yet?)")
        return match

    async def session_of(session_id: str) -> dict[str, Any]:
        match = await stores.match_with_session(session_id)
        if match is None:
            raise NotFound("session_id", f"no session {session_id}")
        return match

    def session_in(match: dict[str, Any], session_id: str) -> dict[str, Any]:
        found = matches.find(match, session_id)
        assert found is not None
        return {**view(found), "match_id": match["match_id"], "program_id": match["program_id"]}

    @router.get(
        "/participants/{participant_id}/sessions",
        **allow(
            "sessions.of_person",
            Grant.SELF,
            Grant.COORDINATOR,
            Grant.SERVICE,
            on="participant",
            hide=True,
        ),
    )
    async def of_participant(
        participant_id: str,
        status: str | None = Query(default=None, description="Only sessions in this status."),
        principal: Principal = Depends(caller),
    ) -> dict[str, Any]:
        """A participant's sessions in every match, soonest first. Coordinators see the
        ones in their programs."""
        found = []
        for match in await stores.matches_of(participant_id):
            if not access.sees(principal, match):
                continue
            found += [session_in(match, s["session_id"]) for s in match["sessions"]]
        found = [s for s in found if status is None or s["status"] == status]
        return {
            "participant_id": participant_id,
            "sessions": sorted(found, key=lambda s: s["starts_at"]),
        }

    @router.get("/matches/{match_id}/sessions", **allow("sessions.of_match", *SEE, on="match"))
    async def of_match(match_id: str) -> dict[str, Any]:
        """The match's booking state (waiting, booked, failed and why) and its sessions."""
        return match_view(await match_of(match_id))

    @router.post(
        "/matches/{match_id}/sessions",
        status_code=201,
        **allow("sessions.book_extra", Grant.MENTOR, Grant.COORDINATOR, Grant.SERVICE, on="match"),
    )
    async def book_extra(match_id: str, body: ExtraSession) -> dict[str, Any]:
        """Book one more session by hand (a milestone review, a make-up session)."""
        match = await match_of(match_id)
        with domain_errors():
            state = await desk.add(match, body.starts_at, body.session_type, body.duration_minutes)
        return session_in(state, state["sessions"][-1]["session_id"])

    @router.get("/matches/{match_id}/slots", **allow("sessions.open_slots", *SEE, on="match"))
    async def open_slots(
        match_id: str,
        timezone: str = Query(default="UTC", description="IANA zone to show local times in."),
        limit: int = Query(default=10, ge=1, le=100),
        start: AwareDatetime | None = Query(default=None, alias="from", description="From."),
        end: AwareDatetime | None = Query(default=None, alias="to", description="Until."),
    ) -> dict[str, Any]:
        """Open times inside both people's windows, or none and why not."""
        match = await match_of(match_id)
        try:
            shown = zone(timezone)
        except UnknownZone as exc:
            raise Invalid("timezone", str(exc)) from None
        with domain_errors():
            starts, reason = await desk.open_times(match, limit, start, end)
        return {
            "match_id": match_id,
            "slots": [
                {"starts_at": s.isoformat(), "local_start": s.astimezone(shown).isoformat()}
                for s in starts
            ],
            "reason": reason or None,
        }

    @router.get("/sessions/{session_id}", **allow("sessions.read", *SEE, on="session"))
    async def one(session_id: str) -> dict[str, Any]:
        return session_in(await session_of(session_id), session_id)

    @router.post(
        "/sessions/{session_id}/reschedule", **allow("sessions.reschedule", *CHANGE, on="session")
    )
    async def reschedule(session_id: str, body: Move) -> dict[str, Any]:
        """Move a session: it must fit both calendars, the buffer and the mentor's hours."""
        match = await session_of(session_id)
        with domain_errors():
            state = await desk.reschedule(match, session_id, body.starts_at, body.reason)
        return session_in(state, session_id)

    @router.post("/sessions/{session_id}/cancel", **allow("sessions.cancel", *CHANGE, on="session"))
    async def cancel(session_id: str, body: Cancel) -> dict[str, Any]:
        match = await session_of(session_id)
        with domain_errors():
            state = await desk.cancel(match, session_id, body.reason)
        return session_in(state, session_id)

    @router.post(
        "/sessions/{session_id}/attendance",
        **allow("sessions.attendance", *CHANGE, on="session"),
    )
    async def attendance(
        session_id: str, body: AttendanceRecord, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        """Attended, or who did not turn up; no-shows count towards a stall."""
        match = await session_of(session_id)
        by = principal.one_of(match["mentor_id"], match["mentee_id"]) or "coordinator"
        with domain_errors():
            state = await desk.attendance(match, session_id, body.attendance, by)
        return session_in(state, session_id)

    return router
