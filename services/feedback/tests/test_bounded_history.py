"""A goal's progress history and a person's goal pivots are capped: a match document
never grows with every request, and what was dropped is counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from mentornet_contracts.events.common import Goal
from mentornet_contracts.events.feedback import GoalStatus
from mentornet_contracts.events.participants import GoalsUpdated, MenteeRegistered
from mentornet_feedback.domain import goals

from .builders import NOW, match_with, mentee_with

pytestmark = pytest.mark.unit

GOAL = Goal(goal_id="g1", statement="Lead a review", target_skills=())


def test_progress_history_keeps_the_newest_entries_and_counts_the_rest() -> None:
    match = match_with("s1")
    person = mentee_with("g1")
    extra = 7
    for n in range(goals.HISTORY_KEPT + extra):
        progress = goals.Progress(percent=n % 101, status=GoalStatus.ON_TRACK, note=f"n{n}")
        match, _ = goals.record(match, person, "g1", progress, "p-mentee", NOW)
    kept = match["goals"]["g1"]
    assert len(kept["history"]) == goals.HISTORY_KEPT
    assert kept["history"][-1]["note"] == f"n{goals.HISTORY_KEPT + extra - 1}"
    assert kept["history"][0]["note"] == f"n{extra}"
    assert kept["history_dropped"] == extra


def test_goal_pivots_keep_the_newest() -> None:
    registered = MenteeRegistered(
        participant_id="p1", program_id="prog", languages=("en",), goals=(GOAL,)
    )
    person = goals.on_mentee_registered(None, registered)
    for n in range(goals.PIVOTS_KEPT + 3):
        change = GoalsUpdated(participant_id="p1", goals=(GOAL,), reason=f"r{n}")
        person = goals.on_goals_updated(person, change, NOW + timedelta(minutes=n))
    assert person is not None
    assert len(person["pivots"]) == goals.PIVOTS_KEPT
    assert person["pivots"][-1]["reason"] == f"r{goals.PIVOTS_KEPT + 2}"


def test_a_match_tracks_progress_for_the_most_recently_updated_goals() -> None:
    match = match_with("s1")
    ids = [f"g{n}" for n in range(goals.GOALS_TRACKED + 3)]
    person = mentee_with(*ids)
    progress = goals.Progress(percent=10, status=GoalStatus.ON_TRACK)
    for n, goal_id in enumerate(ids):
        match, _ = goals.record(match, person, goal_id, progress, "p", NOW + timedelta(hours=n))
    assert sorted(match["goals"]) == sorted(ids[3:])
