"""Sessions as the notifier remembers them, for their calendar entries: when, how long,
and the entry's SEQUENCE (RFC 5545: every change to a sent invitation raises it)."""

from __future__ import annotations

from typing import TypedDict

from mentornet_contracts.events.sessions import (
    SessionCancelled,
    SessionRescheduled,
    SessionScheduled,
)

DEFAULT_MINUTES = 60


class Session(TypedDict):
    session_id: str
    match_id: str
    starts_at: str
    """ISO 8601, UTC."""
    duration_minutes: int
    sequence: int
    cancelled: bool


def on_scheduled(state: Session | None, event: SessionScheduled) -> Session | None:
    if state is not None:
        return None
    return Session(
        session_id=event.session_id,
        match_id=event.match_id,
        starts_at=event.starts_at.isoformat(),
        duration_minutes=event.duration_minutes,
        sequence=0,
        cancelled=False,
    )


def on_rescheduled(state: Session | None, event: SessionRescheduled) -> Session:
    sequence = state["sequence"] + 1 if state is not None else 1
    return Session(
        session_id=event.session_id,
        match_id=event.match_id,
        starts_at=event.starts_at.isoformat(),
        duration_minutes=event.duration_minutes,
        sequence=sequence,
        cancelled=False,
    )


def on_cancelled(state: Session | None, event: SessionCancelled) -> Session | None:
    if state is None or state["cancelled"]:
        return None
    return {**state, "sequence": state["sequence"] + 1, "cancelled": True}
