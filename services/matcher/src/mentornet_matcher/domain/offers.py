"""One offer at a time per mentee.

A mentee can be placed from two sides at once: as a newcomer (or after a rematch) and
by a batch run on another replica. Each placement belongs to a group (its cause: one
newcomer event, one batch run), and a group claims the mentee on the mentee's own
aggregate before it proposes, so the claims serialise there. A claim by another group
stands while any of its matches is live, or for a short grace period while its match
is still being written; after that, a new group may place the mentee.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PENDING_GRACE_S = 60.0

Entry = dict[str, Any]


class AlreadyOffered(Exception):
    """Another placement has a live offer for this mentee."""


def claim(
    entry: Entry | None,
    group: str,
    match_id: str,
    live: Mapping[str, bool | None],
    now: float,
) -> Entry | None:
    """The entry with match_id claimed for `group`, or None if it already is.
    `live` says for each match of the current claim whether it is live (None: not
    written yet)."""
    current = (entry or {}).get("offer")
    if current and current["group"] == group:
        if match_id in current["matches"]:
            return None
        offer = {**current, "matches": [*current["matches"], match_id]}
        return {**(entry or {}), "offer": offer}
    if current:
        fresh = now - float(current["at"]) < PENDING_GRACE_S
        if any(live.get(m) or (live.get(m) is None and fresh) for m in current["matches"]):
            raise AlreadyOffered(f"offered by {current['group']}")
    return {**(entry or {}), "offer": {"group": group, "matches": [match_id], "at": now}}
