"""Every test carries exactly one tier marker, so `pytest -m <tier>` selects all of a tier.

A test with no tier is skipped by every `-m` run (`make test-unit` would silently miss it);
a test with two tiers runs twice and says nothing true about what it needs. Collection
fails on either, naming the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pytest

TIERS: tuple[str, ...] = ("unit", "integration", "e2e")


def tiers_of(item: pytest.Item) -> list[str]:
    """The distinct tier markers on a test (its own, its class's and its module's)."""
    names = {mark.name for mark in item.iter_markers()}
    return [tier for tier in TIERS if tier in names]


def tier_problems(items: Iterable[pytest.Item]) -> list[str]:
    """One line per test that does not carry exactly one tier."""
    problems = []
    for item in items:
        tiers = tiers_of(item)
        if not tiers:
            problems.append(f"  {item.nodeid}: no tier marker")
        elif len(tiers) > 1:
            problems.append(f"  {item.nodeid}: several tier markers ({', '.join(tiers)})")
    return problems


def check_tiers(items: Sequence[pytest.Item]) -> None:
    """Raise a usage error naming every test without exactly one tier marker."""
    problems = tier_problems(items)
    if problems:
        raise pytest.UsageError(
            f"{len(problems)} test(s) must carry exactly one tier marker "
            f"({', '.join(TIERS)}; e.g. `pytestmark = pytest.mark.unit`):\n" + "\n".join(problems)
        )
