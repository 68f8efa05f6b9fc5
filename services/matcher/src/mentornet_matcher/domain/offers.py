"""One offer at a time per mentee.

A mentee can be placed from two sides at once: as a newcomer (or after a rematch) and
by a batch run on another replica. Each placement belongs to a group (its cause: one
newcomer event, one batch run), and a group claims the mentee on the mentee's own
aggregate before it holds a mentor's place, so the claims serialise there and only
the claim's owner ever holds a place for the mentee. A claim by another group stands
while any of its matches is live, or for a short grace period while its match is
still being written; after that, a new group may place the mentee. A group that finds
no room with the mentor it claimed for takes that claim back (`unclaim`).
"""

from __future__ import annotations

from collections.abc import Mapping

from .documents import OfferClaim
from .documents import WaitlistEntry as Entry

PENDING_GRACE_S = 60.0


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
        offer: OfferClaim = {**current, "matches": [*current["matches"], match_id]}
        return {**(entry or {}), "offer": offer}
    if current:
        fresh = now - float(current["at"]) < PENDING_GRACE_S
        if any(live.get(m) or (live.get(m) is None and fresh) for m in current["matches"]):
            raise AlreadyOffered(f"offered by {current['group']}")
    return {**(entry or {}), "offer": {"group": group, "matches": [match_id], "at": now}}


def unclaim(entry: Entry | None, group: str, match_id: str) -> Entry | None:
    """The entry without `group`'s claim on match_id (the mentor had no room), or None
    if there is nothing to take back. The offer goes once no match is left in it."""
    current = (entry or {}).get("offer")
    if not current or current["group"] != group or match_id not in current["matches"]:
        return None
    rest = [m for m in current["matches"] if m != match_id]
    kept: Entry = {**(entry or {})}
    del kept["offer"]
    return {**kept, "offer": {**current, "matches": rest}} if rest else kept
