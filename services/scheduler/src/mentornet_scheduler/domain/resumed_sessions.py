"""The sessions a resume makes anew (domain/pauses.py calls these `Build`): a live
1:1 session, a check-in or a cohort seat, each keeping the sequence and kind of the
session it replaces."""

from __future__ import annotations

from .checkin_clock import ASYNC, is_checkin
from .checkins import Checkin, new_checkin
from .matches import new_session
from .pauses import Build
from .planning import Planned
from .resume_plans import Placement
from .series import Series
from .state import Match, MatchRules, Session


def is_async(match: Match) -> bool:
    """Meets by check-ins (its format, or its sessions say so)."""
    return match.get("format") == ASYNC or any(is_checkin(s) for s in match["sessions"])


def series_of(match: Match) -> Series | None:
    """The series the match's program rules ask for (None before it was booked)."""
    rules: MatchRules | None = match.get("rules")
    if rules is None:
        return None
    return Series(
        rules["sessions_per_month"],
        rules["session_minutes"],
        rules["duration_weeks"],
        rules["tier"],
    )


def _planned(placement: Placement) -> Planned:
    session = placement.session
    assert placement.start is not None
    return Planned(
        session["sequence"],
        placement.start,
        session["duration_minutes"],
        session["session_type"],
    )


def live(zones: dict[str, str]) -> Build:
    return lambda match, p, sid: new_session(match, _planned(p), zones, sid=sid)


def checkin(series: Series, zones: dict[str, str]) -> Build:
    def build(match: Match, p: Placement, sid: str) -> Session:
        assert p.start is not None
        slot = Checkin(p.session["sequence"], p.session["session_type"], p.start)
        return new_checkin(match, slot, series, zones, sid)

    return build


def seat(match: Match, p: Placement, sid: str) -> Session:
    zones = {t["participant_id"]: t["timezone"] for t in p.session["local_times"]}
    return new_session(match, _planned(p), zones, cohort=p.session.get("cohort_id"), sid=sid)


def nothing(match: Match, p: Placement, sid: str) -> Session:
    raise AssertionError("nothing to place")
