"""Stratified permuted blocks: repeatable from the seed, balanced within each stratum
to one block, different from another seed."""

from __future__ import annotations

from collections import Counter

import pytest
from mentornet_matcher.domain.randomisation import UNSPECIFIED, arm_at, block_order, stratum_of

pytestmark = pytest.mark.unit

ARMS = ("a", "b", "c")


def sequence(seed: int, stratum: str, n: int, arms: tuple[str, ...] = ARMS) -> list[str]:
    return [arm_at(seed, stratum, k, arms) for k in range(n)]


def test_the_same_seed_gives_the_same_arms() -> None:
    assert sequence(7, "new-manager", 60) == sequence(7, "new-manager", 60)


def test_each_block_holds_every_arm_once_so_a_stratum_is_balanced_to_one_block() -> None:
    for stratum in ("new-manager", "career-switch", UNSPECIFIED):
        arms = sequence(20270101, stratum, 3 * 40 + 2)
        for block in range(40):
            assert sorted(arms[3 * block : 3 * block + 3]) == list(ARMS)
        for n in range(1, len(arms) + 1):
            counts = Counter(arms[:n])
            assert max(counts[a] for a in ARMS) - min(counts[a] for a in ARMS) <= 1


def test_different_seeds_and_strata_draw_different_orders() -> None:
    assert sequence(1, "x", 60) != sequence(2, "x", 60)
    assert sequence(1, "x", 60) != sequence(1, "y", 60)


def test_blocks_are_drawn_from_seed_stratum_and_block_index() -> None:
    orders = {block_order(5, "x", block, ARMS) for block in range(30)}
    assert len(orders) > 1
    assert all(sorted(order) == list(ARMS) for order in orders)


def test_a_mentee_without_a_segment_is_in_the_unspecified_stratum() -> None:
    assert stratum_of(None) == stratum_of("  ") == UNSPECIFIED
    assert stratum_of(" New-Manager ") == "new-manager"
