"""Blind double review: until a sample is fully reviewed, a reviewer never sees another
reviewer's scores, not in the answer to a claim or a review, nor in the sample a
refusal carries; the program's coordinators see every review."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import cast

import pytest
from mentornet_chassis.errors import Conflict
from mentornet_chassis.store.typed import Change
from mentornet_qa.domain import reviews
from mentornet_qa.domain.documents import Sample, SampleStatus
from mentornet_qa.domain.reviews import Viewer
from mentornet_qa.store import QaStores
from mentornet_qa.usecases.reviews import ReviewDesk
from mentornet_qa.usecases.sampling import Sampler

START = datetime(2027, 3, 1, tzinfo=UTC)
RUBRIC = {"relevance": 4, "clarity": 4, "specificity": 3, "accountability": 5, "confidence_gain": 4}
FIRST, SECOND, THIRD = Viewer("qa-1"), Viewer("qa-2"), Viewer("qa-3")


@dataclass
class _Samples:
    """Samples held in memory, with the typed store's get and change."""

    documents: dict[str, Sample] = field(default_factory=dict)

    async def get(self, key: str) -> Sample | None:
        return self.documents.get(key)

    async def change(
        self, key: str, decide: Callable[[Sample | None], Change[Sample]]
    ) -> Sample | None:
        decided = decide(self.documents.get(key))
        if decided.state is not None:
            self.documents[key] = decided.state
        return self.documents.get(key)


@dataclass
class _Stores:
    samples: _Samples = field(default_factory=_Samples)

    async def program(self, program_id: str | None) -> None:
        return None

    async def samples_in(self, program_id: str) -> list[Sample]:
        return [s for s in self.samples.documents.values() if s["program_id"] == program_id]


def _desk(sample: Sample) -> tuple[ReviewDesk, _Stores]:
    stores = _Stores()
    stores.samples.documents[sample["sample_id"]] = sample
    desk = ReviewDesk(cast(QaStores, stores), cast(Sampler, None), lambda: START, lambda: None)
    return desk, stores


def _double() -> Sample:
    return {
        "sample_id": "qs-1",
        "program_id": "p",
        "period": "2027-03",
        "match_id": "m1",
        "session_id": "s1",
        "mentor_id": "mentor-1",
        "mentee_id": "mentee-1",
        "double": True,
        "claims": [],
        "reviews": [],
        "status": SampleStatus.OPEN,
    }


def _body(clarity: int) -> reviews.Review:
    return reviews.Review.model_validate(
        {"rubric": {**RUBRIC, "clarity": clarity}, "outcome": "passed"}
    )


async def _refused(attempt: Awaitable[Sample]) -> Sample:
    with pytest.raises(Conflict) as refused:
        await attempt
    return cast(Sample, refused.value.body["current"])


def _reviewers(sample: Sample) -> list[str]:
    return [r["reviewer_id"] for r in sample["reviews"]]


@pytest.mark.unit
async def test_a_second_reviewer_never_sees_the_first_reviewers_scores() -> None:
    desk, stores = _desk(_double())
    first = await desk.review("qs-1", FIRST, _body(2))
    assert _reviewers(first) == ["qa-1"]
    assert first["status"] == SampleStatus.CLAIMED

    claimed = await desk.claim("qs-1", SECOND)
    assert claimed["claims"] == ["qa-1", "qa-2"]
    assert _reviewers(claimed) == []

    over_claimed = await _refused(desk.claim("qs-1", THIRD))
    assert over_claimed["claims"] == ["qa-1", "qa-2"]
    assert _reviewers(over_claimed) == []
    assert _reviewers(await _refused(desk.review("qs-1", THIRD, _body(5)))) == []
    assert _reviewers(await _refused(desk.review("qs-1", FIRST, _body(3)))) == ["qa-1"]

    stores.samples.documents["qs-1"] = reviews.withdraw(stores.samples.documents["qs-1"], START)
    withdrawn = await _refused(desk.review("qs-1", SECOND, _body(5)))
    assert withdrawn["status"] == SampleStatus.WITHDRAWN
    assert _reviewers(withdrawn) == []


@pytest.mark.unit
async def test_a_review_answer_shows_only_the_reviewers_own_until_both_are_in() -> None:
    desk, _ = _desk(_double())
    await desk.claim("qs-1", FIRST)
    await desk.claim("qs-1", SECOND)
    second = await desk.review("qs-1", SECOND, _body(5))
    assert _reviewers(second) == ["qa-2"]
    assert _reviewers(await desk.one("qs-1", FIRST)) == []
    both = await desk.review("qs-1", FIRST, _body(2))
    assert both["status"] == SampleStatus.REVIEWED
    assert _reviewers(both) == ["qa-2", "qa-1"]


@pytest.mark.unit
async def test_the_programs_coordinators_and_services_see_every_review() -> None:
    desk, _ = _desk(_double())
    await desk.review("qs-1", FIRST, _body(2))
    coordinator = Viewer("coord-1", coordinates=frozenset({"p"}))
    elsewhere = Viewer("coord-2", coordinates=frozenset({"q"}))
    assert _reviewers(await desk.one("qs-1", coordinator)) == ["qa-1"]
    assert _reviewers(await desk.one("qs-1", Viewer("svc", service=True))) == ["qa-1"]
    assert _reviewers(await desk.one("qs-1", elsewhere)) == []
    listed = await desk.listing("p", "all", coordinator)
    assert [_reviewers(s) for s in listed] == [["qa-1"]]
    assert [_reviewers(s) for s in await desk.listing("p", "all", SECOND)] == [[]]
