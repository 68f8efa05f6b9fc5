"""Progress against each SMART goal of the mentee, recorded in the match: milestones
reached, status and percent, with a history; and the goals themselves as intake last
published them, with every change (a pivot) and its reason."""

from __future__ import annotations

from datetime import datetime

from mentornet_chassis.errors import NotFound
from mentornet_contracts.events.feedback import GoalProgressRecorded, GoalStatus
from mentornet_contracts.events.participants import (
    GoalsUpdated,
    MenteeRegistered,
    ParticipantErased,
    ParticipantWithdrawn,
)
from pydantic import BaseModel, ConfigDict, Field

from .state import GoalProgress, Match, Person, PersonStatus, Pivot, ProgressEntry

HISTORY_KEPT = 50
"""Progress entries each goal keeps, newest last; `history_dropped` counts older ones
(goal.progress.recorded announced each), so a match document never grows unbounded."""
GOALS_TRACKED = 20
"""Goals a match keeps progress for: a mentee has at most ten at a time, and goals
they dropped in a pivot make way, least recently updated first."""
PIVOTS_KEPT = 100


class Progress(BaseModel):
    """The body of POST /matches/{id}/goals/{goal_id}/progress."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "percent": 60,
                    "status": "on_track",
                    "milestones_reached": 2,
                    "note": "Shadowed two design reviews and wrote up what I learned.",
                }
            ]
        },
    )

    percent: int = Field(ge=0, le=100)
    status: GoalStatus
    milestones_reached: int = Field(default=0, ge=0, le=100)
    note: str = Field(default="", max_length=1000)


def record(
    match: Match, person: Person | None, goal_id: str, progress: Progress, by: str, now: datetime
) -> tuple[Match, GoalProgressRecorded]:
    goals = {g["goal_id"] for g in (person["goals"] if person else [])}
    if goal_id not in goals:
        raise NotFound("goal_id", f"the mentee has no goal {goal_id}")
    entry: ProgressEntry = {
        "at": now.isoformat(),
        "by": by,
        "percent": progress.percent,
        "status": progress.status,
        "milestones_reached": progress.milestones_reached,
        "note": progress.note,
    }
    previous = match["goals"].get(goal_id)
    history = [*(previous["history"] if previous else []), entry]
    dropped = previous.get("history_dropped", 0) if previous else 0
    current: GoalProgress = {
        "at": entry["at"],
        "by": by,
        "percent": progress.percent,
        "status": progress.status,
        "milestones_reached": progress.milestones_reached,
        "history": history[-HISTORY_KEPT:],
        "history_dropped": dropped + max(0, len(history) - HISTORY_KEPT),
    }
    event = GoalProgressRecorded(
        match_id=match["match_id"],
        mentee_id=match["mentee_id"],
        goal_id=goal_id,
        percent=progress.percent,
        status=progress.status,
    )
    tracked = {**match["goals"], goal_id: current}
    return {**match, "goals": _most_recent(tracked, GOALS_TRACKED)}, event


def _most_recent(tracked: dict[str, GoalProgress], keep: int) -> dict[str, GoalProgress]:
    if len(tracked) <= keep:
        return tracked
    newest = sorted(tracked, key=lambda goal_id: tracked[goal_id]["at"])[-keep:]
    return {goal_id: tracked[goal_id] for goal_id in tracked if goal_id in newest}


def on_mentee_registered(current: Person | None, event: MenteeRegistered) -> Person | None:
    if current is not None and current.get("status") != PersonStatus.ACTIVE:
        return None
    goals = [g.model_dump(mode="json") for g in event.goals]
    return {
        "participant_id": event.participant_id,
        "program_id": event.program_id,
        "status": PersonStatus.ACTIVE,
        "goals": goals,
        "pivots": [],
        "skill_baseline": [s.model_dump(mode="json") for s in event.skill_baseline],
    }


def on_goals_updated(current: Person | None, event: GoalsUpdated, at: datetime) -> Person | None:
    """Mentor-only participants have no goals to track here; a change to goals of
    someone not registered as a mentee changes nothing."""
    if current is None or current.get("status") != PersonStatus.ACTIVE:
        return None
    before = {str(g["goal_id"]) for g in current["goals"]}
    after = [g.model_dump(mode="json") for g in event.goals]
    pivot: Pivot = {
        "at": at.isoformat(),
        "reason": event.reason,
        "added": sorted({g["goal_id"] for g in after} - before),
        "removed": sorted(before - {g["goal_id"] for g in after}),
    }
    pivots = [*current["pivots"], pivot]
    return {**current, "goals": after, "pivots": pivots[-PIVOTS_KEPT:]}


def on_left(current: Person | None, event: ParticipantErased | ParticipantWithdrawn) -> Person:
    """Anyone who leaves (mentor or mentee) is remembered as gone, so they are not
    asked for feedback again; an erasure keeps nothing else."""
    erased = isinstance(event, ParticipantErased)
    status = PersonStatus.ERASED if erased else PersonStatus.WITHDRAWN
    gone: Person = {
        "participant_id": event.participant_id,
        "status": status,
        "goals": [],
        "pivots": [],
    }
    if erased or current is None:
        return gone
    return {**current, "participant_id": event.participant_id, "status": status}
