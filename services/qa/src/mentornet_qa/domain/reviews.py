"""Reviewing a sample: reviewers claim it and score it on the session rubric with an
outcome and a comment; a double-reviewed sample takes two different reviewers, and
agreement between them is reported. A reviewer never reviews a session they were in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import Annotated, NotRequired, TypedDict

from mentornet_chassis.errors import Conflict, Forbidden
from mentornet_contracts.events.common import RubricDimension
from mentornet_contracts.events.qa import ReviewOutcome
from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from . import documents
from .documents import Sample, SampleStatus


class Review(BaseModel):
    """The body of POST /samples/{id}/reviews: every rubric dimension, 1 to 5."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "rubric": {
                        "relevance": 4,
                        "clarity": 4,
                        "specificity": 3,
                        "accountability": 5,
                        "confidence_gain": 4,
                    },
                    "outcome": "coaching",
                    "comment": "Clear agenda and owners; the action items could be more specific.",
                }
            ]
        },
    )

    rubric: dict[RubricDimension, Annotated[StrictInt, Field(ge=1, le=5)]] = Field(
        description="Score by rubric dimension, 1-5."
    )
    outcome: ReviewOutcome
    comment: str = Field(default="", max_length=2000)

    @field_validator("rubric")
    @classmethod
    def _whole_rubric(cls, rubric: dict[RubricDimension, int]) -> dict[RubricDimension, int]:
        missing = [str(d) for d in RubricDimension if d not in rubric]
        if missing:
            raise ValueError(f"missing dimension(s): {', '.join(missing)}")
        if any(isinstance(v, bool) or not 1 <= v <= 5 for v in rubric.values()):
            raise ValueError("each score is a whole number from 1 to 5")
        return rubric


@dataclass(frozen=True)
class Viewer:
    """Who a sample is shown to: a person, whether they are a service account, and the
    programs they coordinate."""

    subject: str
    service: bool = False
    coordinates: frozenset[str] = frozenset()


def as_seen_by(sample: Sample, viewer: Viewer) -> Sample:
    """A reviewer sees other reviewers' scores only once the sample is fully reviewed,
    so a second review is made on its own (and agreement means something); the
    program's coordinators and services see every review."""
    if (
        viewer.service
        or sample["program_id"] in viewer.coordinates
        or sample["status"] == SampleStatus.REVIEWED
    ):
        return sample
    own = [r for r in sample["reviews"] if r["reviewer_id"] == viewer.subject]
    return {**sample, "reviews": own}


def needed(sample: Sample) -> int:
    return 2 if sample["double"] else 1


def _not_in_it(sample: Sample, reviewer_id: str) -> None:
    if reviewer_id in (sample["mentor_id"], sample["mentee_id"]):
        raise Forbidden("Authorization", "a reviewer cannot review a session they were part of")


class Gap(TypedDict):
    mean_gap: float


class Agreement(TypedDict):
    """Between the two reviewers of double-reviewed samples."""

    double_reviewed: int
    exact: float | None
    within_one: float | None
    outcome_agreement: NotRequired[float]
    by_dimension: dict[str, Gap]


def _refused(reason: str, sample: Sample, shown_to: Viewer) -> Conflict:
    return Conflict("state", reason, current=as_seen_by(sample, shown_to))


def withdraw(sample: Sample, now: datetime) -> Sample:
    """Out of review for good, its comments gone; a reviewed sample keeps its scores."""
    comments_gone: list[documents.ReviewRecord] = [{**r, "comment": ""} for r in sample["reviews"]]
    if sample["status"] == SampleStatus.REVIEWED:
        return {**sample, "reviews": comments_gone}
    return {
        **sample,
        "reviews": comments_gone,
        "status": SampleStatus.WITHDRAWN,
        "withdrawn_at": now.isoformat(),
        "withdrawn_because": "a participant was erased",
    }


def claim(
    sample: Sample, reviewer_id: str, now: datetime, *, shown_to: Viewer | None = None
) -> Sample:
    """Take a sample to review. A refusal carries the sample as `shown_to` (by default
    the reviewer) may see it."""
    seen_by = shown_to or Viewer(reviewer_id)
    if sample["status"] == SampleStatus.WITHDRAWN:
        raise _refused(f"sample {sample['sample_id']} was withdrawn from review", sample, seen_by)
    _not_in_it(sample, reviewer_id)
    claims = sample["claims"]
    if reviewer_id in claims:
        return sample
    if len(claims) >= needed(sample):
        raise _refused(
            f"sample {sample['sample_id']} has all the reviewers it needs", sample, seen_by
        )
    return {
        **sample,
        "claims": [*claims, reviewer_id],
        "status": SampleStatus.CLAIMED,
        "claimed_at": now.isoformat(),
    }


def review(
    sample: Sample,
    reviewer_id: str,
    body: Review,
    now: datetime,
    *,
    shown_to: Viewer | None = None,
) -> Sample:
    """Record a review (claiming the sample if the reviewer had not); done once every
    needed review is in. A refusal carries the sample as `shown_to` (by default the
    reviewer) may see it."""
    seen_by = shown_to or Viewer(reviewer_id)
    sample = claim(sample, reviewer_id, now, shown_to=seen_by)
    if any(r["reviewer_id"] == reviewer_id for r in sample["reviews"]):
        raise _refused(f"you already reviewed sample {sample['sample_id']}", sample, seen_by)
    entry = documents.ReviewRecord(
        reviewer_id=reviewer_id,
        rubric={str(k): v for k, v in body.rubric.items()},
        outcome=body.outcome,
        comment=body.comment,
        at=now.isoformat(),
    )
    reviews = [*sample["reviews"], entry]
    done = len(reviews) >= needed(sample)
    status = SampleStatus.REVIEWED if done else SampleStatus.CLAIMED
    return {**sample, "reviews": reviews, "status": status}


def agreement(samples: Iterable[Sample]) -> Agreement:
    """Between the two reviewers of each double-reviewed sample: how often they gave
    the same score, how often within one point, and the mean gap, by dimension."""
    pairs = [s["reviews"][:2] for s in samples if s["double"] and len(s["reviews"]) >= 2]
    if not pairs:
        return {"double_reviewed": 0, "exact": None, "within_one": None, "by_dimension": {}}
    gaps = {
        str(d): [abs(a["rubric"][str(d)] - b["rubric"][str(d)]) for a, b in pairs]
        for d in RubricDimension
    }
    every = [g for values in gaps.values() for g in values]
    return {
        "double_reviewed": len(pairs),
        "exact": round(sum(g == 0 for g in every) / len(every), 4),
        "within_one": round(sum(g <= 1 for g in every) / len(every), 4),
        "outcome_agreement": round(
            sum(a["outcome"] == b["outcome"] for a, b in pairs) / len(pairs), 4
        ),
        "by_dimension": {d: {"mean_gap": round(fmean(v), 4)} for d, v in gaps.items()},
    }
