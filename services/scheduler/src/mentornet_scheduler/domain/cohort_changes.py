"""What happens to a cohort's document: formed by its first member, joined by the
others, settled on the slot chosen (domain/cohorts.py) with the event announcing it,
and rid of an erased member."""

from __future__ import annotations

from datetime import datetime

from mentornet_contracts.events.sessions import (
    MAX_ABSENCE_REASON,
    CohortAbsence,
    CohortSlotChosen,
    SessionType,
)

from .cohorts import CohortPlan
from .planning import Planned
from .state import Cohort, CohortStatus, GroupSession, Match


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
