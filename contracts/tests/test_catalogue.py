"""The event catalogue: names follow DESIGN, every field is documented, examples are valid."""

from __future__ import annotations

from typing import Any, get_args, get_origin

import pytest
from mentornet_contracts import REGISTRY, Event
from pydantic import BaseModel

# The topic table of DESIGN.md ("Events"), without the `mentornet.` prefix and version.
DESIGN_TOPICS: dict[str, tuple[str, ...]] = {
    "mentornet.participants": (
        "mentor.registered",
        "mentee.registered",
        "profile.updated",
        "goals.updated",
        "availability.updated",
        "participant.withdrawn",
        "participant.erased",
        "person.linked",
    ),
    "mentornet.programs": (
        "program.published",
        "program.updated",
        "taxonomy.updated",
        # Added beyond DESIGN: a bulk import's end, so its pool is placed at once.
        "import.finished",
    ),
    "mentornet.matches": (
        "match.proposed",
        "match.accepted",
        "match.declined",
        "match.confirmed",
        "match.ended",
        "mentee.waitlisted",
        "coverage.gap.reported",
        "coverage.gap.closed",
        # Added beyond DESIGN's examples: a match put on hold and resumed.
        "match.paused",
        "match.resumed",
        # And matching experiments (definition and stop keyed by program id).
        "experiment.defined",
        "experiment.arm.assigned",
        "experiment.stopped",
    ),
    "mentornet.sessions": (
        "session.scheduled",
        "session.rescheduled",
        "session.cancelled",
        "session.reminder.due",
        "session.completed",
        "session.missed",
        "match.stalled",
        # Added beyond DESIGN's examples: a prompt to record attendance, a booking that
        # could not be made, a cohort's weekly slot (keyed by cohort id), and a match's
        # series of sessions all settled (the match has run its course).
        "session.attendance.due",
        "session.booking.failed",
        "cohort.slot.chosen",
        "series.completed",
    ),
    "mentornet.feedback": (
        "feedback.requested",
        "feedback.submitted",
        "session.report.filed",
        "goal.progress.recorded",
        "risk.flagged",
        # Added beyond DESIGN's examples: an overdue-survey reminder and a completed
        # action item (follow-up completion).
        "feedback.reminder.due",
        "action.item.completed",
        # And an async check-in's reflection or reply.
        "checkin.submitted",
        # And outcomes: goal adjustments, milestones, skill assessments, end survey.
        "goal.adjustment.proposed",
        "goal.adjustment.answered",
        "milestone.completed",
        "skill.assessed",
        "end_survey.submitted",
    ),
    "mentornet.qa": (
        "qa.sample.selected",
        "qa.review.completed",
        "escalation.raised",
        "escalation.resolved",
        "fairness.audit.completed",
        "recognition.awarded",
        "mentee.invited_to_mentor",
        "mentor_invitation.answered",
    ),
    # Added beyond DESIGN: consent-gated fairness attributes, readable only by QA
    # (docs/privacy.md).
    "mentornet.audit": ("audit.groups.recorded",),
    "mentornet.notifications": ("notification.delivered", "notification.dead_lettered"),
}

# The record key of each topic; the exceptions are program-wide facts (see their docstrings).
TOPIC_KEYS: dict[str, set[str]] = {
    "mentornet.participants": {"participant_id"},
    "mentornet.programs": {"program_id", "taxonomy_id"},
    "mentornet.matches": {"mentee_id", "program_id"},
    "mentornet.sessions": {"match_id", "cohort_id"},
    "mentornet.feedback": {"match_id"},
    "mentornet.qa": {"match_id", "program_id"},
    "mentornet.audit": {"participant_id"},
    "mentornet.notifications": {"participant_id"},
}

EVENT_CLASSES = REGISTRY.event_classes()


def _ids(event_cls: type[Event]) -> str:
    return event_cls.event_type


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    """BaseModel classes inside a field annotation (through tuples, dicts, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if get_origin(annotation) is None:
        return []
    return [m for arg in get_args(annotation) for m in _nested_models(arg)]


def _all_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """The model and every model nested in it, each once."""
    found: list[type[BaseModel]] = [model]
    for cls in found:
        for info in cls.model_fields.values():
            found.extend(m for m in _nested_models(info.annotation) if m not in found)
    return found


def from_examples(model: type[BaseModel]) -> BaseModel:
    """An instance built from the first example of every field."""
    data = {name: info.examples[0] for name, info in model.model_fields.items() if info.examples}
    return model.model_validate(data)


def _undocumented(schema: dict[str, Any], where: str) -> list[str]:
    problems: list[str] = []
    for name, prop in schema.get("properties", {}).items():
        if not prop.get("description"):
            problems.append(f"{where}.{name}: no description")
        if not prop.get("examples"):
            problems.append(f"{where}.{name}: no example")
    return problems


@pytest.mark.unit
def test_catalogue_has_every_design_event() -> None:
    registered = {t.removeprefix("mentornet.").rsplit(".", 1)[0] for t in REGISTRY.event_types()}
    designed = {name for names in DESIGN_TOPICS.values() for name in names}
    assert registered == designed


@pytest.mark.unit
@pytest.mark.parametrize("event_cls", EVENT_CLASSES, ids=_ids)
def test_event_type_is_on_its_design_topic(event_cls: type[Event]) -> None:
    topic = REGISTRY.topic_of(event_cls).name
    assert event_cls.unversioned_type().removeprefix("mentornet.") in DESIGN_TOPICS[topic]


@pytest.mark.unit
@pytest.mark.parametrize("event_cls", EVENT_CLASSES, ids=_ids)
def test_every_earlier_version_is_still_read_as_this_one(event_cls: type[Event]) -> None:
    for earlier in range(1, event_cls.version()):
        old_type = f"{event_cls.unversioned_type()}.v{earlier}"
        superseded = REGISTRY.superseded_by(old_type)
        assert superseded is not None, f"{old_type} has no upcaster"
        assert superseded.by is event_cls


@pytest.mark.unit
@pytest.mark.parametrize("event_cls", EVENT_CLASSES, ids=_ids)
def test_key_field_is_a_required_field_of_the_topic_key(event_cls: type[Event]) -> None:
    topic = REGISTRY.topic_of(event_cls).name
    assert event_cls.key_field in TOPIC_KEYS[topic]
    assert event_cls.model_fields[event_cls.key_field].is_required()


@pytest.mark.unit
@pytest.mark.parametrize("event_cls", EVENT_CLASSES, ids=_ids)
def test_every_field_has_description_and_example(event_cls: type[Event]) -> None:
    schema = event_cls.model_json_schema()
    problems = _undocumented(schema, event_cls.__name__)
    for def_name, definition in schema.get("$defs", {}).items():
        problems += _undocumented(definition, def_name)
    assert problems == []


@pytest.mark.unit
@pytest.mark.parametrize("event_cls", EVENT_CLASSES, ids=_ids)
def test_example_round_trips(event_cls: type[Event]) -> None:
    event = from_examples(event_cls)
    assert isinstance(event, event_cls)
    assert event_cls.model_validate(event.model_dump(mode="json")) == event
    assert event_cls.model_validate_json(event.model_dump_json()) == event
    key_examples = event_cls.model_fields[event_cls.key_field].examples or []
    assert [event.aggregate_id()] == [str(e) for e in key_examples[:1]]


@pytest.mark.unit
@pytest.mark.parametrize("event_cls", EVENT_CLASSES, ids=_ids)
def test_nested_value_examples_are_valid(event_cls: type[Event]) -> None:
    for model in _all_models(event_cls)[1:]:
        value = from_examples(model)
        assert model.model_validate(value.model_dump(mode="json")) == value


@pytest.mark.unit
@pytest.mark.parametrize("event_cls", EVENT_CLASSES, ids=_ids)
def test_examples_carry_no_names_or_emails(event_cls: type[Event]) -> None:
    for model in _all_models(event_cls):
        assert not {"email", "e_mail", "first_name", "last_name", "full_name"} & set(
            model.model_fields
        )
        dumped = from_examples(model).model_dump_json()
        assert "@" not in dumped, f"{model.__name__} example looks like it holds an e-mail"
