"""What happens to a cohort's document: formed by its first member, joined by the
others, settled on the slot chosen (domain/cohorts.py) with the event announcing it,
and rid of an erased member."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from mentornet_contracts.events.sessions import (
    MAX_ABSENCE_REASON,
    BookingFailure,
    CohortAbsence,
    CohortSlotChosen,
    SessionType,
)

from . import refill, sessions, unplaced
from .cohorts import CohortPlan
from .matches import upcoming
from .planning import Plan, Planned
from .reasons import Attendee, at_start
from .seating import Member, absence, gaps_of, seating
from .state import Cohort, CohortStatus, GroupSession, Match
from .unplaced import Unplaced


def forming(cid: str, match: Match, settle_at: datetime) -> Cohort:
    return {
        "cohort_id": cid,
        "program_id": match["program_id"],
        "mentor_id": match["mentor_id"],
        "members": {},
        "status": CohortStatus.FORMING,
        "due_epoch": settle_at.timestamp(),
    }


def joined(cohort: Cohort, match: Match, now: datetime, size: int) -> Cohort | None:
    """The cohort with the match's mentee (None if already in); a full cohort that is
    still forming is due to settle now."""
    if match["match_id"] in cohort["members"]:
        return None
    members = {**cohort["members"], match["match_id"]: match["mentee_id"]}
    full = len(members) >= size and cohort["status"] == CohortStatus.FORMING
    due = now.timestamp() if full else cohort["due_epoch"]
    return {**cohort, "members": members, "due_epoch": due}


def settled(
    cohort: Cohort, plan: CohortPlan, timezone: str
) -> tuple[Cohort | None, list[CohortSlotChosen]]:
    """The cohort with its slot and group sessions, or failed when none could be
    planned; None when it has settled already."""
    if cohort["status"] != CohortStatus.FORMING:
        return None, []
    sessions: list[GroupSession] = [
        {
            "sequence": p.sequence,
            "starts_at": p.starts_at.isoformat(),
            "minutes": p.minutes,
            "type": p.session_type,
        }
        for p in plan.plan.sessions
    ]
    recorded: Cohort = {
        **cohort,
        "status": CohortStatus.SCHEDULED if sessions else CohortStatus.FAILED,
        "due_epoch": None,
        "slot": {"weekday": plan.weekday, "local_start": plan.local_start, "timezone": timezone},
        "sessions": sessions,
        "attending": list(plan.attending),
        "unable": dict(plan.unable),
        "detail": plan.plan.detail,
        "gaps": [unplaced.note(g) for g in plan.gaps],
    }
    return recorded, [_chosen(recorded, plan)] if sessions else []


def ahead(cohort: Cohort, now: datetime) -> list[Planned]:
    """The cohort's group sessions still to come."""
    return [
        Planned(
            s["sequence"],
            datetime.fromisoformat(s["starts_at"]),
            s["minutes"],
            SessionType(s["type"]),
        )
        for s in cohort.get("sessions", [])
        if datetime.fromisoformat(s["starts_at"]) > now
    ]


def member_plan(cohort: Cohort, member: Member, now: datetime) -> Plan:
    """One member's part of the cohort's dates still ahead: seated on those whose
    actual start suits them, the others unplaced with the reason; cohort_slot when
    they can attend none."""
    group = ahead(cohort, now)
    gaps = [g for g in gaps_of(cohort) if g.target > now]
    seated, missing = seating(member, group, gaps)
    if not seated:
        length = timedelta(minutes=group[0].minutes) if group else timedelta()
        reason = (
            cohort.get("unable", {}).get(member.mentee_id)
            or absence(member.availability, [p.starts_at for p in group], length)
            or cohort.get("detail")
            or "the cohort has no sessions left"
        )
        return Plan(failure=BookingFailure.COHORT_SLOT, detail=reason, unplaced=missing)
    if not missing:
        return Plan(seated)
    first = missing[0]
    detail = (
        f"{len(seated)} of {len(seated) + len(missing)} group sessions suit the mentee; "
        f"{first.detail}"
    )
    return Plan(seated, first.reason, detail, missing)


def reseated(
    match: Match, cohort: Cohort, member: Member, now: datetime, zones: Mapping[str, str]
) -> tuple[Match, list[Any]]:
    """A member whose availability changed: their seats ahead that no longer suit them
    are cancelled and unplaced (coordinators told), and their unplaced dates ahead whose
    group session now suits them are seated."""
    cid = cohort["cohort_id"]
    person = Attendee(member.mentee_id, "the mentee", member.availability)
    events: list[Any] = []
    lost: list[Unplaced] = []
    for seat in [s for s in upcoming(match, now) if s.get("cohort_id") == cid]:
        start = datetime.fromisoformat(seat["starts_at"])
        why = at_start(person, start, timedelta(minutes=seat["duration_minutes"]))
        if why is not None:
            reason = f"the mentee's availability changed: {why.detail}"
            match, cancelled = sessions.cancel(match, seat["session_id"], reason)
            events.append(cancelled)
            lost.append(Unplaced(seat["sequence"], start, why.reason, why.detail, member.mentee_id))
    group = {p.sequence: p for p in ahead(cohort, now)}
    for date in unplaced.kept(match):
        found = group.get(date.sequence)
        length = timedelta(minutes=found.minutes) if found else timedelta()
        if found is not None and at_start(person, found.starts_at, length) is None:
            sid = refill.fresh_id(match, found.sequence)
            match, scheduled = refill.placed(match, found, zones, sid=sid, cohort=cid)
            events.extend(scheduled)
    if lost:
        match = unplaced.with_dates(match, lost)
        detail = f"{len(lost)} group sessions no longer suit the mentee; {lost[0].detail}"
        events.append(unplaced.report(match, lost[0].reason, detail, cohort_id=cid))
    return match, events


def forget(cohort: Cohort | None, participant_id: str) -> Cohort | None:
    """An erased member leaves no trace in the cohort (None when nothing changes)."""
    if cohort is None or participant_id not in cohort["members"].values():
        return None
    return {
        **cohort,
        "members": {m: p for m, p in cohort["members"].items() if p != participant_id},
        "attending": [p for p in cohort.get("attending", []) if p != participant_id],
        "unable": {p: r for p, r in cohort.get("unable", {}).items() if p != participant_id},
    }


def _chosen(cohort: Cohort, plan: CohortPlan) -> CohortSlotChosen:
    first = plan.plan.sessions[0]
    return CohortSlotChosen(
        cohort_id=cohort["cohort_id"],
        program_id=cohort["program_id"],
        mentor_id=cohort["mentor_id"],
        timezone=cohort["slot"]["timezone"],
        weekday=plan.weekday,
        local_start=plan.local_start,
        duration_minutes=first.minutes,
        first_starts_at=first.starts_at,
        attending=tuple(plan.attending),
        unable=tuple(
            CohortAbsence(mentee_id=m, reason=r[:MAX_ABSENCE_REASON]) for m, r in plan.unable
        ),
    )
