"""A fairness audit's inputs and record: each mentee's outcomes gathered from QA's view
of their matches, and the results as kept with the program (domain/fairness.py
computes them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from statistics import fmean
from typing import TypedDict

from .documents import Match, Person
from .fairness import AttributeAudit, GroupFigures, Outcome
from .matches import mentee_rubric

EARLY = ("withdrawn", "stalled", "other")
"""Ends that count as closing a match early."""


class Finding(TypedDict):
    metric: str
    group: str
    ratio: float


class AttributeRecord(TypedDict):
    attribute: str
    groups: list[GroupFigures]
    disparities: list[Finding]


class AuditRecord(TypedDict):
    audit_id: str
    audited_at: str
    min_group: int
    min_ratio: float
    attributes: list[AttributeRecord]
    disparities: int


def outcome(person: Person, theirs: Sequence[Match]) -> Outcome:
    """One mentee's outcomes, from their matches."""
    role = person["roles"].get("mentee")
    since = role["since"] if role else None
    confirmed = sorted(
        (m for m in theirs if m.get("confirmed_at")), key=lambda m: m.get("confirmed_at", "")
    )
    first = confirmed[0] if confirmed else None
    days = None
    if first is not None and since:
        days = (
            datetime.fromisoformat(first.get("confirmed_at", "")) - datetime.fromisoformat(since)
        ).total_seconds() / 86400
    rubric = [score for m in theirs for score in mentee_rubric(m)]
    return Outcome(
        groups=person["groups"],
        matched=first is not None,
        days_to_match=days,
        match_score=first.get("score") if first else None,
        rematched=any(m.get("end_reason") == "rematched" for m in theirs),
        closed_early=any(m.get("end_reason") in EARLY for m in theirs),
        rubric_average=fmean(rubric) if rubric else None,
    )


def record(
    audit_id: str, now: datetime, results: Sequence[AttributeAudit], min_group: int, ratio: float
) -> AuditRecord:
    return AuditRecord(
        audit_id=audit_id,
        audited_at=now.isoformat(),
        min_group=min_group,
        min_ratio=ratio,
        attributes=[
            AttributeRecord(
                attribute=r.attribute,
                groups=r.groups,
                disparities=[
                    Finding(metric=d.metric, group=d.group, ratio=d.ratio) for d in r.disparities
                ],
            )
            for r in results
        ],
        disparities=sum(len(r.disparities) for r in results),
    )
