"""Sampling is stratified and reproducible; reviews fit the rubric; agreement between
two reviewers is reported."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from mentornet_chassis.errors import Conflict, Forbidden
from mentornet_qa.domain import reviews
from mentornet_qa.domain.documents import Sample, SampleStatus
from mentornet_qa.domain.sampling import COVERAGE, Held, SamplingRules, replay
from pydantic import ValidationError

pytestmark = pytest.mark.unit

START = datetime(2027, 3, 1, tzinfo=UTC)
RUBRIC = {"relevance": 4, "clarity": 4, "specificity": 3, "accountability": 5, "confidence_gain": 4}


def program_sessions(seed: int, mentors: int = 40, sessions: int = 600) -> list[Held]:
    """A generated program: 40 mentors (a quarter of them new), 600 sessions in March."""
    rng = np.random.default_rng(seed)
    since = {f"m{j}": START - timedelta(days=30 if j % 4 == 0 else 400) for j in range(mentors)}
    held = []
    for n in range(sessions):
        mentor = f"m{int(rng.integers(mentors))}"
        at = START + timedelta(minutes=int(rng.integers(0, 30 * 24 * 60)))
        held.append(
            Held(f"s{n}", f"match-{mentor}-{n % 3}", mentor, f"e{n % 97}", at, since[mentor])
        )
    return held


def test_the_same_seed_gives_the_same_sample_and_another_seed_another() -> None:
    sessions = program_sessions(1)
    rules = SamplingRules(rate=0.1)
    first = replay(sessions, rules, "seed-a")
    again = replay(list(reversed(sessions)), rules, "seed-a")
    other = replay(sessions, rules, "seed-b")
    sampled = {d.session_id for d in first if d.sampled}
    assert {d.session_id for d in again if d.sampled} == sampled
    assert {d.session_id for d in other if d.sampled} != sampled


def test_every_active_mentor_is_sampled_each_period_and_new_mentors_more_often() -> None:
    sessions = program_sessions(2)
    decisions = {d.session_id: d for d in replay(sessions, SamplingRules(rate=0.1), "seed")}
    mentors_with_sessions = {h.mentor_id for h in sessions}
    sampled_mentors = {h.mentor_id for h in sessions if decisions[h.session_id].sampled}
    assert sampled_mentors == mentors_with_sessions
    drawn = [
        h for h in sessions if decisions[h.session_id].reason.startswith(("new mentor", "drawn"))
    ]
    not_first = [h for h in sessions if decisions[h.session_id].reason != COVERAGE]
    new = [h for h in not_first if h.started_at - h.mentor_since < timedelta(days=90)]  # type: ignore[operator]
    old = [h for h in not_first if h not in new]
    new_rate = sum(h in drawn for h in new) / len(new)
    old_rate = sum(h in drawn for h in old) / len(old)
    assert new_rate > 1.5 * old_rate
    assert 0.05 < old_rate < 0.15
    doubles = Counter(
        decisions[h.session_id].double for h in sessions if decisions[h.session_id].sampled
    )
    assert 0 < doubles[True] < doubles[False]


def test_coverage_waits_for_the_period_to_close() -> None:
    sessions = program_sessions(3, mentors=60, sessions=120)
    rules = SamplingRules(rate=0.05)
    still_open = replay(sessions, rules, "seed", closed=False)
    closed = replay(sessions, rules, "seed")
    assert COVERAGE not in {d.reason for d in still_open}
    covering = {d.session_id for d in closed if d.reason == COVERAGE}
    assert covering
    drawn = {d.session_id for d in still_open if d.sampled}
    assert {d.session_id for d in closed if d.sampled} == drawn | covering
    mentors = [h.mentor_id for h in sessions if h.session_id in covering]
    assert len(mentors) == len(set(mentors))


def sample(double: bool = False) -> Sample:
    return {
        "sample_id": "qs-1",
        "mentor_id": "mentor-1",
        "mentee_id": "mentee-1",
        "double": double,
        "claims": [],
        "reviews": [],
        "status": SampleStatus.OPEN,
        "period": "2027-03",
        "session_id": "s1",
        "match_id": "m1",
        "program_id": "p",
    }


def test_a_review_must_cover_the_whole_rubric() -> None:
    with pytest.raises(ValidationError, match="missing dimension"):
        reviews.Review.model_validate({"rubric": {"clarity": 4}, "outcome": "passed"})
    with pytest.raises(ValidationError, match=r"rubric\.clarity\n.*less than or equal to 5"):
        reviews.Review.model_validate({"rubric": {**RUBRIC, "clarity": 7}, "outcome": "passed"})
    with pytest.raises(ValidationError):
        reviews.Review.model_validate({"rubric": RUBRIC, "outcome": "great"})
    with pytest.raises(ValidationError, match="clarity"):
        reviews.Review.model_validate({"rubric": {**RUBRIC, "clarity": True}, "outcome": "passed"})
    with pytest.raises(ValidationError, match="clarity"):
        reviews.Review.model_validate({"rubric": {**RUBRIC, "clarity": 3.5}, "outcome": "passed"})


def test_no_one_reviews_their_own_session_and_double_reviews_take_two_people() -> None:
    body = reviews.Review.model_validate({"rubric": RUBRIC, "outcome": "passed"})
    with pytest.raises(Forbidden):
        reviews.review(sample(), "mentor-1", body, START)
    single = reviews.review(sample(), "qa-1", body, START)
    assert single["status"] == "reviewed"
    with pytest.raises(Conflict):
        reviews.claim(single, "qa-2", START)
    double = reviews.review(sample(double=True), "qa-1", body, START)
    assert double["status"] == "claimed"
    with pytest.raises(Conflict, match="already reviewed"):
        reviews.review(double, "qa-1", body, START)
    both = reviews.review(double, "qa-2", body, START)
    assert both["status"] == "reviewed"


def test_agreement_between_two_reviewers() -> None:
    a = reviews.Review.model_validate({"rubric": RUBRIC, "outcome": "passed"})
    b = reviews.Review.model_validate(
        {"rubric": {**RUBRIC, "clarity": 2, "relevance": 5}, "outcome": "coaching"}
    )
    done = reviews.review(reviews.review(sample(double=True), "qa-1", a, START), "qa-2", b, START)
    result = reviews.agreement([done, sample()])
    assert result["double_reviewed"] == 1
    assert result["exact"] == 0.6
    assert result["within_one"] == 0.8
    assert result["outcome_agreement"] == 0.0
    assert result["by_dimension"]["clarity"]["mean_gap"] == 2.0


def test_an_erasure_withdraws_a_sample_from_review_and_keeps_a_reviewed_ones_scores() -> None:
    body = reviews.Review.model_validate(
        {"rubric": RUBRIC, "outcome": "passed", "comment": "talked about Ada's family"}
    )
    halfway = reviews.review(sample(double=True), "qa-1", body, START)
    withdrawn = reviews.withdraw(halfway, START)
    assert withdrawn["status"] == SampleStatus.WITHDRAWN
    assert [r["comment"] for r in withdrawn["reviews"]] == [""]
    with pytest.raises(Conflict, match="withdrawn"):
        reviews.claim(withdrawn, "qa-2", START)
    done = reviews.withdraw(reviews.review(sample(), "qa-1", body, START), START)
    assert done["status"] == "reviewed"
    assert done["reviews"][0]["rubric"] == {str(k): v for k, v in body.rubric.items()}
    assert done["reviews"][0]["comment"] == ""
