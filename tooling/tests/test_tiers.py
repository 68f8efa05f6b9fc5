"""Collection refuses a test without exactly one tier marker, naming it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import pytest
from mentornet_tooling.testing.tiers import check_tiers, tier_problems, tiers_of

pytestmark = pytest.mark.unit


@dataclass
class FakeItem:
    """What the check reads of a collected test: its id and its markers."""

    nodeid: str
    marks: tuple[str, ...]

    def iter_markers(self) -> Iterator[pytest.Mark]:
        return iter(getattr(pytest.mark, name).mark for name in self.marks)


def items(*fakes: FakeItem) -> list[pytest.Item]:
    return cast("list[pytest.Item]", list(fakes))


def test_a_tier_given_twice_or_beside_other_markers_counts_once() -> None:
    [item] = items(FakeItem("t.py::a", ("unit", "parametrize", "unit")))
    assert tiers_of(item) == ["unit"]


def test_missing_and_extra_tiers_are_named_and_one_tier_passes() -> None:
    collected = items(
        FakeItem("t.py::bare", ("parametrize",)),
        FakeItem("t.py::both", ("e2e", "unit")),
        FakeItem("t.py::fine", ("integration",)),
    )
    assert tier_problems(collected) == [
        "  t.py::bare: no tier marker",
        "  t.py::both: several tier markers (unit, e2e)",
    ]
    with pytest.raises(pytest.UsageError, match=r"2 test\(s\)[\s\S]*t\.py::bare"):
        check_tiers(collected)
    check_tiers(collected[2:])
