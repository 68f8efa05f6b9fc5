"""One offer at a time per mentee: claims by placement group."""

from __future__ import annotations

import pytest
from mentornet_matcher.domain.offers import PENDING_GRACE_S, AlreadyOffered, claim, unclaim

pytestmark = pytest.mark.unit


def test_a_group_adds_its_options_and_a_repeat_changes_nothing() -> None:
    entry = claim(None, "run-1", "m-a", {}, now=100.0)
    entry = claim(entry, "run-1", "m-b", {}, now=101.0)
    assert entry is not None
    assert entry["offer"] == {"group": "run-1", "matches": ["m-a", "m-b"], "at": 100.0}
    assert claim(entry, "run-1", "m-b", {}, now=102.0) is None


def test_another_group_waits_while_an_offer_is_live_or_still_being_written() -> None:
    entry = claim({"waiting": True}, "run-1", "m-a", {}, now=100.0)
    with pytest.raises(AlreadyOffered):
        claim(entry, "new-7", "m-x", {"m-a": True}, now=500.0)
    with pytest.raises(AlreadyOffered):
        claim(entry, "new-7", "m-x", {"m-a": None}, now=100.0 + PENDING_GRACE_S / 2)

    after_decline = claim(entry, "new-7", "m-x", {"m-a": False}, now=200.0)
    never_written = claim(entry, "new-7", "m-x", {"m-a": None}, now=100.0 + PENDING_GRACE_S)
    for taken in (after_decline, never_written):
        assert taken is not None
        assert taken["offer"]["group"] == "new-7"
        assert taken["waiting"] is True


def test_a_group_takes_back_a_claim_its_mentor_had_no_room_for() -> None:
    entry = claim({"waiting": True}, "run-1", "m-a", {}, now=100.0)
    entry = claim(entry, "run-1", "m-b", {}, now=100.0)

    one_left = unclaim(entry, "run-1", "m-a")
    assert one_left is not None
    assert one_left["offer"]["matches"] == ["m-b"]
    none_left = unclaim(one_left, "run-1", "m-b")
    assert none_left == {"waiting": True}
    assert claim(none_left, "new-7", "m-x", {}, now=101.0) is not None


def test_unclaim_leaves_another_groups_claim_alone() -> None:
    entry = claim(None, "run-1", "m-a", {}, now=100.0)
    assert unclaim(entry, "new-7", "m-a") is None
    assert unclaim(entry, "run-1", "m-zzz") is None
    assert unclaim(None, "run-1", "m-a") is None
