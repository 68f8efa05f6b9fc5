"""Why a planned date finds no time (diagnose): the windows on its date (no_overlap,
exception), else the mentor's hours (hour_cap), else other sessions and the buffer
(fully_booked); and the series-wide no_overlap sentence."""

from __future__ import annotations

from datetime import datetime

from mentornet_contracts.events.sessions import BookingFailure

from .booking_context import Booking, windows_text
from .reasons import Attendee, local, windows_why
from .unplaced import Unplaced


def diagnose(booking: Booking, sequence: int, target: datetime, after: datetime) -> Unplaced:
    """Why nothing fits within the tolerance around `target` (and not before `after`):
    the windows (no_overlap, exception), else the mentor's hours (hour_cap), else other
    sessions and the buffer (fully_booked)."""
    tolerance = booking.series.tolerance
    people = (
        Attendee(booking.mentor.participant_id, "the mentor", booking.mentor.availability),
        Attendee(booking.mentee.participant_id, "the mentee", booking.mentee.availability),
    )
    why = windows_why(people, target, tolerance, booking.length, booking.not_before)
    if why is not None:
        return Unplaced(sequence, target, why.reason, why.detail, why.attendee_id)
    open_ = booking.starts(max(target - tolerance, after), target + tolerance)
    if open_:
        return Unplaced(
            sequence, target, BookingFailure.HOUR_CAP, booking.budget.describe(open_[0])
        )
    near = local(target, booking.mentor.availability.timezone)
    return Unplaced(
        sequence,
        target,
        BookingFailure.FULLY_BOOKED,
        f"the shared time near {near} is taken by other sessions or the "
        f"{int(booking.buffer.total_seconds() // 60)}-minute buffer between them",
    )


def no_overlap(booking: Booking) -> str:
    return (
        f"no shared time of {booking.series.session_minutes} minutes between the mentor's "
        f"windows ({windows_text(booking.mentor.availability)}) and the mentee's "
        f"({windows_text(booking.mentee.availability)})"
    )
