"""Why a mentee waits: the reason each mentor gives, counted and ordered, as a plain loop
over the mentors would (the vectorised version is checked against it)."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from mentornet_contracts.events.matches import WaitlistReason
from mentornet_matcher.domain.pool import Pool
from mentornet_matcher.domain.scoring import PoolScores
from mentornet_matcher.domain.waitlist import reasons

from .builders import availability, mentee, mentor, pool

pytestmark = pytest.mark.unit


def one_by_one(built: Pool, scores: PoolScores, i: int) -> tuple[WaitlistReason, ...]:
    block = scores.block(i, i + 1)
    short = block.too_little_time(built.rules.min_overlap_hours)[0]
    found: Counter[WaitlistReason] = Counter()
    for j in range(built.shape[1]):
        if not block.shared_language[0, j]:
            found[WaitlistReason.NO_SHARED_LANGUAGE] += 1
        elif built.excluded[i, j]:
            found[WaitlistReason.ALL_PROPOSALS_DECLINED] += 1
        elif block.conflict[0, j]:
            found[WaitlistReason.CONFLICT_RULES] += 1
        elif short[j]:
            found[WaitlistReason.NO_AVAILABILITY_OVERLAP] += 1
        else:
            found[WaitlistReason.NO_CAPACITY] += 1
    return tuple(reason for reason, _ in found.most_common())


@pytest.mark.parametrize("seed", range(5))
def test_reasons_are_those_a_loop_over_the_mentors_gives(seed: int) -> None:
    draw = random.Random(seed)
    languages = (["en"], ["de"], ["en", "de"])
    mentees = [
        mentee(f"e{i}", ("python", 3), languages=draw.choice(languages), manager_id="hr-1")
        for i in range(6)
    ]
    mentors = [
        mentor(
            f"m{j}",
            ("python", 5),
            languages=draw.choice(languages),
            manager_id=draw.choice(["hr-1", "hr-2"]),
            availability=availability() if draw.random() < 0.7 else None,
        )
        for j in range(30)
    ]
    failed = frozenset(
        (f"e{i}", f"m{j}") for i in range(6) for j in range(30) if draw.random() < 0.1
    )
    built = pool(mentees, mentors, failed=failed)
    scores = PoolScores(built)
    for i in range(len(mentees)):
        assert reasons(built, scores, i) == one_by_one(built, scores, i)
    assert {r for i in range(6) for r in reasons(built, scores, i)} >= {
        WaitlistReason.NO_SHARED_LANGUAGE,
        WaitlistReason.ALL_PROPOSALS_DECLINED,
        WaitlistReason.NO_AVAILABILITY_OVERLAP,
        WaitlistReason.NO_CAPACITY,
    }
