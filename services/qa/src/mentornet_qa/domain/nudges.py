"""A playbook's nudge step, as it acted: the notifier delivered a stall nudge to one of
the pair (notification.delivered, kind stall_nudge, naming the case), and the case
records who was nudged, on which channel and when. A delivery is recorded once,
whatever the redeliveries; other notifications, and nudges for a match, a case or a
person QA does not know, change nothing."""

from __future__ import annotations

from datetime import datetime

from mentornet_contracts.events.notifications import NotificationDelivered, NotificationKind

from .documents import Case, Match, Nudge, NudgeSide


def concerns_a_case(event: NotificationDelivered) -> bool:
    """Only a stall nudge that names its case and match is QA's to record."""
    return event.kind == NotificationKind.STALL_NUDGE and bool(event.case_id and event.match_id)


def side_of(match: Match, participant_id: str) -> NudgeSide | None:
    if participant_id == match["mentor_id"]:
        return NudgeSide.MENTOR
    if participant_id == match["mentee_id"]:
        return NudgeSide.MENTEE
    return None


def _with_nudge(case: Case, nudge: Nudge) -> Case | None:
    """The case with the nudge added; None if that delivery is there already."""
    known = case.get("nudges", [])
    if any(n["delivery_id"] == nudge["delivery_id"] for n in known):
        return None
    return {**case, "nudges": [*known, nudge]}


def on_delivered(
    current: Match | None, event: NotificationDelivered, now: datetime
) -> Match | None:
    """The match with the nudge on its case (open or closed); None: nothing to record."""
    if current is None or not concerns_a_case(event):
        return None
    who = side_of(current, event.participant_id)
    if who is None:
        return None
    nudge = Nudge(
        delivery_id=event.delivery_id, who=who, channel=str(event.channel), at=now.isoformat()
    )
    case = current.get("case")
    if case is not None and case["case_id"] == event.case_id:
        changed = _with_nudge(case, nudge)
        return None if changed is None else {**current, "case": changed}
    closed = current.get("closed_cases", [])
    for n, old in enumerate(closed):
        if old["case_id"] == event.case_id:
            changed = _with_nudge(old, nudge)
            if changed is None:
                return None
            return {**current, "closed_cases": [*closed[:n], changed, *closed[n + 1 :]]}
    return None
