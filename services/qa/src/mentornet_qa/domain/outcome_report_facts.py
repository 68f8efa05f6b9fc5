"""What the outcome report knows of one mentee, gathered from their enrolment and their
matches in the program: each outcome's value (the latest match that knows it gives it),
mentor-assessed growth, days to a match and to a first session, how their matches
ended, and whether they were invited to mentor, accepted and became a mentor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .documents import Match, MatchStatus, Person, SessionStatus
from .outcome_values import EARLY_ENDS, measures, mentor_assessed_growth

MENTOR_GROWTH = "mentor_assessed_growth"


@dataclass(frozen=True)
class MenteeFacts:
    participant_id: str
    segment: str | None
    groups: dict[str, str]
    cohort_id: str | None
    values: dict[str, float] = field(default_factory=dict)
    """Each OutcomeMeasure known (by its value) and mentor_assessed_growth."""
    days_to_match: float | None = None
    days_to_first_session: float | None = None
    matched: bool = False
    ends: tuple[str, ...] = ()
    """How each of their ended matches ended."""
    invited: bool = False
    accepted: bool = False
    became_mentor: bool = False

    @property
    def rematched(self) -> bool:
        return "rematched" in self.ends

    @property
    def early_ends(self) -> tuple[str, ...]:
        return tuple(e for e in self.ends if e in EARLY_ENDS)


def _days(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    return max(0.0, seconds / 86400)


def first_session_at(match: Match) -> str | None:
    """When the match's first completed session took place (its start, else when it was
    recorded complete)."""
    held = [
        s.get("starts_at") or s.get("completed_at") or ""
        for s in match["sessions"].values()
        if s.get("status") == SessionStatus.COMPLETED
    ]
    return min((h for h in held if h), default=None)


def _values(person: Person, confirmed: Sequence[Match]) -> dict[str, float]:
    values: dict[str, float] = {}
    for match in confirmed:
        values.update({str(k): v for k, v in measures(match, person).items()})
        growth = mentor_assessed_growth(match, person)
        if growth is not None:
            values[MENTOR_GROWTH] = growth
    return values


def became_mentor(person: Person, mentors: Sequence[Person]) -> bool:
    """A mentor enrolment of the same person, registered after the invitation."""
    invitation = person.get("invitation")
    me = person.get("person_id") or person["participant_id"]
    if invitation is None:
        return False
    return any(
        (m.get("person_id") or m["participant_id"]) == me
        and (role := m["roles"].get("mentor")) is not None
        and role["since"] > invitation["invited_at"]
        for m in mentors
    )


def mentee_facts(person: Person, theirs: Sequence[Match], mentors: Sequence[Person]) -> MenteeFacts:
    """`theirs`: the mentee's matches in the program; `mentors`: mentor enrolments that
    may be the same person."""
    role = person["roles"].get("mentee")
    confirmed = sorted(
        (m for m in theirs if m.get("confirmed_at")), key=lambda m: m.get("confirmed_at", "")
    )
    first = confirmed[0] if confirmed else None
    latest = confirmed[-1] if confirmed else None
    invitation = person.get("invitation")
    return MenteeFacts(
        participant_id=person["participant_id"],
        segment=person.get("segment"),
        groups=dict(person["groups"]),
        cohort_id=(latest.get("cohort_id") if latest else None),
        values=_values(person, confirmed),
        days_to_match=_days(role["since"] if role else None, first.get("confirmed_at"))
        if first
        else None,
        days_to_first_session=_days(first.get("confirmed_at"), first_session_at(first))
        if first
        else None,
        matched=first is not None,
        ends=tuple(
            m.get("end_reason", "")
            for m in confirmed
            if m["status"] == MatchStatus.ENDED and m.get("end_reason")
        ),
        invited=bool(person.get("invited") or invitation),
        accepted=bool(invitation and invitation.get("accepted")),
        became_mentor=became_mentor(person, mentors),
    )
