"""A mentor's ledger: every session they are booked for, across all programs.

Booking a session is a check and a write on this one aggregate, so concurrent bookings
for the same mentor (two matches confirmed at once, a reschedule, a coordinator's
extra session) serialise on its version: the monthly hour cap and the buffer between
sessions hold however many replicas book at once. Entries are keyed by booking id,
so booking the same session again moves it instead of adding a second entry.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from mentornet_chassis.errors import Invalid

from .budget import month_of
from .state import Ledger, LedgerEntry


class Refused(Invalid):
    """The ledger cannot take the booking at that start; the reason says why."""

    def __init__(self, reason: str) -> None:
        super().__init__("starts_at", reason)


def empty(mentor_id: str) -> Ledger:
    return {"mentor_id": mentor_id, "bookings": {}}


def minutes_by_month(ledger: Ledger | None, *, leaving_out: Collection[str] = ()) -> dict[str, int]:
    used: dict[str, int] = {}
    for booking_id, entry in (ledger["bookings"] if ledger else {}).items():
        if booking_id not in leaving_out:
            used[entry["month"]] = used.get(entry["month"], 0) + int(entry["minutes"])
    return used


def busy(
    ledger: Ledger | None, *, leaving_out: Collection[str] = ()
) -> list[tuple[datetime, datetime]]:
    return [
        (datetime.fromisoformat(e["start"]), datetime.fromisoformat(e["end"]))
        for booking_id, e in (ledger["bookings"] if ledger else {}).items()
        if booking_id not in leaving_out
    ]


def book(
    ledger: Ledger | None,
    mentor_id: str,
    booking_id: str,
    start: datetime,
    minutes: int,
    *,
    timezone: str,
    cap_minutes: int,
    buffer: timedelta,
    match_id: str,
) -> Ledger:
    current = ledger or empty(mentor_id)
    end = start + timedelta(minutes=minutes)
    month = month_of(start, timezone)
    used = minutes_by_month(current, leaving_out={booking_id}).get(month, 0)
    if used + minutes > cap_minutes:
        raise Refused(
            f"over the monthly hour cap: the mentor has {used / 60:g} of "
            f"{cap_minutes / 60:g} mentoring hours booked in {month}"
        )
    for b_start, b_end in busy(current, leaving_out={booking_id}):
        if b_start - buffer < end and start < b_end + buffer:
            raise Refused(f"clashes with the mentor's session at {b_start.isoformat()}")
    entry: LedgerEntry = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "minutes": minutes,
        "month": month,
        "match_id": match_id,
    }
    return {**current, "bookings": {**current["bookings"], booking_id: entry}}


def without_match(ledger: Ledger | None, match_id: str) -> Ledger | None:
    """The ledger without the entries one match holds (to book that match afresh)."""
    if ledger is None:
        return None
    kept = {k: v for k, v in ledger["bookings"].items() if v.get("match_id") != match_id}
    return {**ledger, "bookings": kept}


def release(ledger: Ledger | None, booking_ids: set[str]) -> Ledger | None:
    """None when nothing changes."""
    if ledger is None or not booking_ids & set(ledger["bookings"]):
        return None
    kept = {k: v for k, v in ledger["bookings"].items() if k not in booking_ids}
    return {**ledger, "bookings": kept}
