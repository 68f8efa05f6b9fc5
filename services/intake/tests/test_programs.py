"""Program rules, without a broker or database."""

from __future__ import annotations

from typing import Any

import pytest
from mentornet_chassis.errors import Invalid
from mentornet_chassis.http.auth import Principal, Role
from mentornet_intake.api.access import runs
from mentornet_intake.domain import program_fields, programs
from pydantic import ValidationError

pytestmark = pytest.mark.unit


def spec(**overrides: Any) -> programs.ProgramSpec:
    body: dict[str, Any] = {
        "name": "Eng 2027",
        "tier": "standard",
        "duration_weeks": 12,
        "cadence": {"sessions_per_month": 2, "session_minutes": 45},
    }
    body.update(overrides)
    return programs.ProgramSpec.model_validate(body)


def published() -> programs.ProgramState:
    state, _ = programs.publish(programs.draft(spec(), "prog-1", "c-1"))
    return state


def test_publish_carries_the_rules_but_not_eligibility() -> None:
    state, event = programs.publish(
        programs.draft(spec(eligibility={"levels": ["L3"]}), "prog-1", "c-1")
    )
    assert state["status"] == "published"
    assert event.program_id == "prog-1"
    assert event.cadence.session_minutes == 45
    assert "eligibility" not in event.model_dump()


def test_publishing_twice_is_a_conflict() -> None:
    with pytest.raises(programs.ProgramConflict, match="already published"):
        programs.publish(published())


def test_change_before_publishing_emits_nothing() -> None:
    state, event = programs.change(
        programs.draft(spec(), "prog-1", "c-1"), programs.ProgramPatch(name="Renamed")
    )
    assert state["spec"]["name"] == "Renamed"
    assert event is None


def test_change_after_publishing_emits_only_what_changed() -> None:
    _, event = programs.change(
        published(), programs.ProgramPatch(name="Eng 2027", qa_sample_rate=0.25)
    )
    assert event is not None
    assert event.model_dump(exclude_none=True) == {"program_id": "prog-1", "qa_sample_rate": 0.25}


def test_eligibility_change_stays_inside_intake() -> None:
    state, event = programs.change(
        published(),
        programs.ProgramPatch(eligibility=program_fields.Eligibility(org_units=["ou-1"])),
    )
    assert event is None
    assert state["spec"]["eligibility"]["org_units"] == ["ou-1"]


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"tier": "cohort"}, "", "cohort_size is required"),
        ({"cohort_size": 5}, "", "only to cohort programs"),
        ({"matching_weights": {"astrology": 1.0}}, "matching_weights", "unknown signal"),
        ({"matching_weights": {"skills": 0.0}}, "matching_weights", "not all zero"),
        ({"qa_sample_rate": 1.5}, "qa_sample_rate", "less than or equal to 1"),
        (
            {"cadence": {"sessions_per_month": 2, "session_minutes": 1}},
            "cadence.session_minutes",
            "",
        ),
    ],
)
def test_bad_rules_name_the_field(overrides: dict[str, Any], field: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        spec(**overrides)
    error = caught.value.errors()[0]
    assert ".".join(str(p) for p in error["loc"]) == field
    assert reason in str(error["msg"])


def test_a_patch_is_checked_against_the_whole_program() -> None:
    with pytest.raises(ValidationError, match="only to cohort programs"):
        programs.change(published(), programs.ProgramPatch(cohort_size=4))


def test_eligibility_admits_listed_units_and_levels() -> None:
    rule = program_fields.Eligibility(org_units=["ou-1"], levels=["L3", "L4"])
    assert rule.admits("ou-1", "L3")
    assert not rule.admits("ou-2", "L3")
    assert not rule.admits("ou-1", "L5")
    assert program_fields.Eligibility().admits(None, None)


def test_managers_are_the_creator_and_claimed_coordinators_not_reviewers() -> None:
    state = programs.draft(spec(), "prog-1", "c-1")
    coordinator, reviewer = frozenset({Role.COORDINATOR}), frozenset({Role.REVIEWER})
    assert runs(Principal("c-1", coordinator), state)
    assert runs(Principal("c-2", coordinator, frozenset({"prog-1"})), state)
    assert not runs(Principal("c-2", coordinator, frozenset({"prog-9"})), state)
    assert not runs(Principal("r-1", reviewer, frozenset({"prog-1"})), state)
    assert not runs(Principal("c-1", reviewer), state)


def test_a_program_meets_as_pairs_choose_and_pauses_up_to_four_weeks_by_default() -> None:
    _, event = programs.publish(programs.draft(spec(), "prog-1", "c-1"))
    assert event.session_format is None
    assert event.max_pause_weeks == 4


def test_publish_carries_the_session_format_and_the_longest_pause() -> None:
    draft = programs.draft(spec(session_format="async", max_pause_weeks=6), "prog-1", "c-1")
    _, event = programs.publish(draft)
    assert event.session_format == "async"
    assert event.max_pause_weeks == 6


def test_changing_format_and_pause_after_publishing_announces_both() -> None:
    patch = programs.ProgramPatch.model_validate({"session_format": "async", "max_pause_weeks": 8})
    state, event = programs.change(published(), patch)
    assert state["spec"]["session_format"] == "async"
    assert event is not None
    assert event.model_dump(mode="json", exclude_none=True) == {
        "program_id": "prog-1",
        "session_format": "async",
        "max_pause_weeks": 8,
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"max_pause_weeks": 0}, "max_pause_weeks"),
        ({"max_pause_weeks": 27}, "max_pause_weeks"),
        ({"max_pause_weeks": "long"}, "max_pause_weeks"),
        ({"session_format": "carrier_pigeon"}, "session_format"),
    ],
)
def test_bad_format_or_pause_names_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        spec(**overrides)
    assert [".".join(str(p) for p in e["loc"]) for e in caught.value.errors()] == [field]
    with pytest.raises(ValidationError) as patched:
        programs.ProgramPatch.model_validate(overrides)
    assert [".".join(str(p) for p in e["loc"]) for e in patched.value.errors()] == [field]


def test_a_published_format_can_be_changed_but_not_removed() -> None:
    draft = programs.draft(spec(session_format="async"), "prog-1", "c-1")
    unset = programs.ProgramPatch.model_validate({"session_format": None})
    changed, event = programs.change(draft, unset)
    assert changed["spec"]["session_format"] is None
    assert event is None
    live, _ = programs.publish(draft)
    with pytest.raises(Invalid) as caught:
        programs.change(live, unset)
    assert caught.value.field == "session_format"
    _, video = programs.change(
        live, programs.ProgramPatch.model_validate({"session_format": "video"})
    )
    assert video is not None
    assert video.session_format == "video"


def test_a_program_collects_every_outcome_unless_it_lists_some() -> None:
    _, every = programs.publish(programs.draft(spec(), "prog-1", "c-1"))
    assert every.outcome_measures is None
    chosen = spec(outcome_measures=["skill_growth", "retention"])
    _, some = programs.publish(programs.draft(chosen, "prog-1", "c-1"))
    assert some.outcome_measures == ("skill_growth", "retention")


@pytest.mark.parametrize(
    ("measures", "says"),
    [
        (["skill_growth", "skill_growth"], "each outcome may be listed once"),
        (["promotion"], "Input should be"),
        ([], "at least 1"),
    ],
)
def test_bad_outcome_measures_name_the_field(measures: list[str], says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        spec(outcome_measures=measures)
    error = caught.value.errors()[0]
    assert error["loc"][0] == "outcome_measures"
    assert says in error["msg"]


def test_changing_outcomes_after_publishing_announces_them() -> None:
    patch = programs.ProgramPatch.model_validate({"outcome_measures": ["satisfaction"]})
    state, event = programs.change(published(), patch)
    assert event is not None
    assert event.outcome_measures == ("satisfaction",)
    assert state["spec"]["outcome_measures"] == ["satisfaction"]
    back = programs.ProgramPatch.model_validate({"outcome_measures": None})
    state, event = programs.change(state, back)
    assert state["spec"]["outcome_measures"] is None
    assert event is not None
    assert event.outcome_measures == tuple(program_fields.EVERY_OUTCOME)
