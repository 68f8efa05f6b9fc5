"""Schema compatibility rules, on hand-written schemas and on the real registry."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest
from mentornet_contracts import REGISTRY, Event, Registry, Topic
from mentornet_contracts.compat import compare
from mentornet_contracts.schemas import (
    SnapshotConflictError,
    check,
    render,
    snapshot,
    write_snapshots,
)
from pydantic import Field

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "contracts" / "schemas"
MENTEE = "mentornet.mentee.registered.v2"


def obj(required: list[str] | None = None, **props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": required or []}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}


def with_defs(schema: dict[str, Any], **defs: Any) -> dict[str, Any]:
    return {**schema, "$defs": defs}


# --- incompatible ---------------------------------------------------------------------


@pytest.mark.unit
def test_field_removed() -> None:
    old = obj(["a"], a=STRING, b=STRING)
    new = obj(["a"], a=STRING)
    assert compare(old, new) == ["b: field removed or renamed"]


@pytest.mark.unit
def test_field_renamed_is_removed_plus_added() -> None:
    old = obj(["a"], a=STRING)
    new = obj(["b"], b=STRING)
    assert compare(old, new) == ["a: field removed or renamed", "b: new required field"]


@pytest.mark.unit
def test_field_type_changed() -> None:
    assert compare(obj(a=STRING), obj(a=INTEGER)) == ["a: type changed from string to integer"]


@pytest.mark.unit
def test_ref_target_type_changed_in_nested_defs() -> None:
    old = with_defs(
        obj(goals={"type": "array", "items": {"$ref": "#/$defs/Goal"}}),
        Goal=obj(["skills"], skills={"type": "array", "items": {"$ref": "#/$defs/Skill"}}),
        Skill=obj(["level"], level=INTEGER),
    )
    new = json.loads(json.dumps(old))
    new["$defs"]["Skill"]["properties"]["level"] = STRING
    assert compare(old, new) == ["goals[].skills[].level: type changed from integer to string"]


@pytest.mark.unit
def test_ref_replaced_by_scalar() -> None:
    old = with_defs(obj(a={"$ref": "#/$defs/A"}), A=obj(x=STRING))
    new = obj(a=STRING)
    assert compare(old, new) == ["a: type changed from object to string"]


@pytest.mark.unit
def test_ref_renamed_with_same_shape_is_compatible() -> None:
    old = with_defs(obj(a={"$ref": "#/$defs/A"}), A=obj(x=STRING))
    new = with_defs(obj(a={"$ref": "#/$defs/B"}), B=obj(x=STRING))
    assert compare(old, new) == []


@pytest.mark.unit
def test_nullable_made_non_nullable() -> None:
    old = obj(a={"anyOf": [STRING, {"type": "null"}], "default": None})
    new = obj(a={**STRING, "default": ""})
    assert compare(old, new) == ["a: no longer accepts null (now string)"]


@pytest.mark.unit
def test_format_changed() -> None:
    old = obj(a={"type": "string", "format": "date"})
    new = obj(a={"type": "string", "format": "date-time"})
    assert compare(old, new) == ["a: format changed from 'date' to 'date-time'"]


@pytest.mark.unit
def test_new_required_field() -> None:
    assert compare(obj(a=STRING), obj(["b"], a=STRING, b=STRING)) == ["b: new required field"]


@pytest.mark.unit
def test_optional_field_made_required() -> None:
    assert compare(obj(a=STRING), obj(["a"], a=STRING)) == ["a: optional field made required"]


@pytest.mark.unit
def test_nested_new_required_field() -> None:
    old = with_defs(obj(a={"$ref": "#/$defs/A"}), A=obj(x=STRING))
    new = with_defs(obj(a={"$ref": "#/$defs/A"}), A=obj(["y"], x=STRING, y=STRING))
    assert compare(old, new) == ["a.y: new required field"]


@pytest.mark.unit
def test_enum_value_removed() -> None:
    old = obj(a={"type": "string", "enum": ["x", "y", "z"]})
    new = obj(a={"type": "string", "enum": ["x", "z"]})
    assert compare(old, new) == ["a: enum value(s) removed: 'y'"]


@pytest.mark.unit
def test_nested_enum_value_removed() -> None:
    old = with_defs(
        obj(formats={"type": "array", "items": {"$ref": "#/$defs/Format"}}),
        Format={"type": "string", "enum": ["video", "chat"]},
    )
    new = with_defs(
        obj(formats={"type": "array", "items": {"$ref": "#/$defs/Format"}}),
        Format={"type": "string", "enum": ["video"]},
    )
    assert compare(old, new) == ["formats[]: enum value(s) removed: 'chat'"]


@pytest.mark.unit
def test_free_string_restricted_to_enum() -> None:
    old = obj(a=STRING)
    new = obj(a={"type": "string", "enum": ["x"]})
    assert compare(old, new) == ["a: now restricted to the values 'x'"]


@pytest.mark.unit
def test_constraint_tightened() -> None:
    old = obj(a={"type": "string", "maxLength": 500}, n={"type": "integer", "minimum": 1})
    new = obj(a={"type": "string", "maxLength": 100}, n={"type": "integer", "minimum": 2})
    assert compare(old, new) == [
        "a: maxLength tightened from 500 to 100",
        "n: minimum tightened from 1 to 2",
    ]


@pytest.mark.unit
def test_a_bound_written_out_where_none_was_is_a_tightening() -> None:
    old = obj(a=STRING, b={"type": "array", "items": STRING})
    new = obj(a={**STRING, "maxLength": 64}, b={"type": "array", "items": STRING, "maxItems": 9})
    assert compare(old, new) == [
        "a: maxLength tightened from None to 64",
        "b: maxItems tightened from None to 9",
    ]


@pytest.mark.unit
def test_topic_and_key_field_changed() -> None:
    old = {**obj(), "x-topic": "mentornet.matches", "x-key-field": "mentee_id"}
    new = {**obj(), "x-topic": "mentornet.sessions", "x-key-field": "match_id"}
    assert compare(old, new) == [
        "$: topic changed from 'mentornet.matches' to 'mentornet.sessions'",
        "$: key field changed from 'mentee_id' to 'match_id'",
    ]


@pytest.mark.unit
def test_union_member_removed() -> None:
    old = obj(a={"anyOf": [STRING, INTEGER]})
    new = obj(a=STRING)
    assert compare(old, new) == ["a: type changed from integer to string"]


@pytest.mark.unit
def test_recursive_model_terminates() -> None:
    node = obj(["name"], name=STRING, children={"type": "array", "items": {"$ref": "#/$defs/Node"}})
    old = with_defs({"$ref": "#/$defs/Node"}, Node=node)
    new = json.loads(json.dumps(old))
    new["$defs"]["Node"]["properties"]["name"] = INTEGER
    assert compare(old, old) == []
    assert compare(old, new) == ["name: type changed from string to integer"]


# --- incompatible for readers on the older version (forward) --------------------------


@pytest.mark.unit
def test_new_enum_value_is_incompatible_for_older_readers() -> None:
    old = obj(a={"type": "string", "enum": ["x"]})
    new = obj(a={"type": "string", "enum": ["x", "y"]})
    assert compare(old, new) == [
        "a: enum value(s) added: 'y'; readers on the older version refuse them"
    ]


@pytest.mark.unit
def test_widening_is_incompatible_for_older_readers() -> None:
    old = obj(
        a=STRING,
        n={"type": "integer", "maximum": 5},
        r={"type": "string", "enum": ["x"]},
        i=INTEGER,
    )
    new = obj(
        a={"anyOf": [STRING, {"type": "null"}]},
        n={"type": "integer", "maximum": 10},
        r=STRING,
        i={"type": "number"},
    )
    assert compare(old, new) == [
        "a: now accepts null, which readers on the older version refuse them",
        "n: maximum loosened from 5 to 10; readers on the older version refuse them",
        "r: no longer restricted to the values 'x'; readers on the older version refuse them",
        "i: widened from integer to accept number, which readers on the older version refuse them",
    ]


@pytest.mark.unit
def test_required_field_made_optional_is_incompatible_for_older_readers() -> None:
    assert compare(obj(["a"], a=STRING), obj(a=STRING)) == [
        "a: required field made optional; readers on the older version need it"
    ]


# --- compatible -----------------------------------------------------------------------


@pytest.mark.unit
def test_new_optional_field_is_compatible() -> None:
    assert compare(obj(["a"], a=STRING), obj(["a"], a=STRING, b={**STRING, "default": ""})) == []


@pytest.mark.unit
def test_description_example_title_changes_are_compatible() -> None:
    old = obj(["a"], a={"type": "string", "description": "old", "examples": ["1"], "title": "A"})
    new = obj(["a"], a={"type": "string", "description": "new", "examples": ["2"]})
    assert compare({**old, "description": "x"}, {**new, "description": "y"}) == []


@pytest.mark.unit
def test_writing_out_an_implied_bound_is_compatible() -> None:
    clock = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
    rubric = {
        "type": "object",
        "additionalProperties": INTEGER,
        "propertyNames": {"$ref": "#/$defs/Dimension"},
    }
    old = with_defs(obj(start=clock, rubric=rubric), Dimension={"enum": ["a", "b", "c"]})
    new = with_defs(
        obj(start={**clock, "maxLength": 5}, rubric={**rubric, "maxProperties": 3}),
        Dimension={"enum": ["a", "b", "c"]},
    )
    assert compare(old, new) == []
    tighter = with_defs(
        obj(start={**clock, "maxLength": 4}, rubric={**rubric, "maxProperties": 2}),
        Dimension={"enum": ["a", "b", "c"]},
    )
    assert compare(old, tighter) == [
        "start: maxLength tightened from 5 to 4",
        "rubric: maxProperties tightened from 3 to 2",
    ]


@pytest.mark.unit
def test_an_unanchored_or_unbounded_pattern_implies_no_bound() -> None:
    for pattern in ("[a-z]{2}", "^[a-z]+$", "^a|bc$"):
        old = obj(a={"type": "string", "pattern": pattern})
        new = obj(a={"type": "string", "pattern": pattern, "maxLength": 2})
        assert compare(old, new) == ["a: maxLength tightened from None to 2"], pattern


# --- the real registry ----------------------------------------------------------------


@pytest.fixture
def snapshots(tmp_path: Path) -> Path:
    target = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, target)
    return target


def add_field_to_snapshot(schemas_dir: Path, event_type: str) -> None:
    path = schemas_dir / f"{event_type}.json"
    schema = json.loads(path.read_text())
    schema["properties"]["mentor_notes"] = {"type": "string", "title": "Mentor Notes"}
    path.write_text(render(schema))


@pytest.mark.unit
def test_committed_snapshots_match_the_code() -> None:
    assert check(REGISTRY, SCHEMAS) == []
    superseded = [s.event_type for s in REGISTRY.superseded]
    assert sorted(p.stem for p in SCHEMAS.glob("*.json")) == sorted(
        REGISTRY.event_types() + superseded
    )


@pytest.mark.unit
def test_every_snapshot_carries_its_metadata() -> None:
    for event_cls in REGISTRY.event_classes():
        schema = snapshot(event_cls)
        assert schema["x-event-type"] == event_cls.event_type
        assert schema["x-topic"] == REGISTRY.topic_of(event_cls).name
        assert schema["x-key-field"] == event_cls.key_field
        assert event_cls.key_field in schema["properties"]


@pytest.mark.unit
def test_check_fails_when_a_committed_field_is_missing_from_code(snapshots: Path) -> None:
    add_field_to_snapshot(snapshots, MENTEE)
    problems = check(REGISTRY, snapshots)
    assert [(p.event_type, p.path, p.reason) for p in problems] == [
        (MENTEE, "mentor_notes", "field removed or renamed")
    ]


class _MenteeRegisteredWithoutGoals(Event):
    """The real v1 event with its `goals` field deleted."""

    event_type: ClassVar[str] = MENTEE
    key_field: ClassVar[str] = "participant_id"
    participant_id: str = Field(min_length=1)
    program_id: str


@pytest.mark.unit
def test_check_fails_when_code_drops_a_field_of_a_v1_event() -> None:
    registry = Registry(
        topics=(
            Topic("mentornet.participants", "participant id", (_MenteeRegisteredWithoutGoals,)),
        )
    )
    problems = [p for p in check(registry, SCHEMAS) if p.event_type == MENTEE]
    reasons = {(p.path, p.reason) for p in problems}
    assert ("goals", "field removed or renamed") in reasons
    assert ("languages", "field removed or renamed") in reasons
    assert all(p.event_type == MENTEE for p in problems)
    others = {p.event_type for p in check(registry, SCHEMAS)} - {MENTEE}
    committed = {p.stem for p in SCHEMAS.glob("*.json")}
    assert others == committed - {MENTEE}  # reported as removed from code


@pytest.mark.unit
def test_check_reports_missing_snapshot(snapshots: Path) -> None:
    (snapshots / f"{MENTEE}.json").unlink()
    problems = check(REGISTRY, snapshots)
    assert len(problems) == 1
    assert problems[0].event_type == MENTEE
    assert problems[0].reason.startswith("snapshot missing")


@pytest.mark.unit
def test_check_reports_event_version_removed_from_code(snapshots: Path) -> None:
    ghost = "mentornet.mentee.registered.v0"
    shutil.copy(snapshots / f"{MENTEE}.json", snapshots / f"{ghost}.json")
    problems = check(REGISTRY, snapshots)
    assert [(p.event_type, p.path) for p in problems] == [(ghost, "$")]
    assert "removed from code" in problems[0].reason


@pytest.mark.unit
def test_write_snapshots_refuses_incompatible_rewrite(snapshots: Path) -> None:
    add_field_to_snapshot(snapshots, MENTEE)
    before = {p.name: p.read_text() for p in snapshots.iterdir()}
    (snapshots / "mentornet.participant.erased.v1.json").unlink()
    with pytest.raises(SnapshotConflictError) as raised:
        write_snapshots(REGISTRY, snapshots)
    assert [i.path for i in raised.value.incompatibilities] == ["mentor_notes"]
    assert not (snapshots / "mentornet.participant.erased.v1.json").exists()  # nothing written
    assert (snapshots / f"{MENTEE}.json").read_text() == before[f"{MENTEE}.json"]


@pytest.mark.unit
def test_write_snapshots_writes_new_and_compatible_updates(snapshots: Path) -> None:
    path = snapshots / f"{MENTEE}.json"
    schema = json.loads(path.read_text())
    del schema["properties"]["urgency"]  # the code has an extra optional field: additive
    schema["description"] = "old wording"
    path.write_text(render(schema))
    (snapshots / "mentornet.participant.erased.v1.json").unlink()
    written = write_snapshots(REGISTRY, snapshots)
    assert sorted(p.name for p in written) == sorted(
        [f"{MENTEE}.json", "mentornet.participant.erased.v1.json"]
    )
    assert check(REGISTRY, snapshots) == []
    assert write_snapshots(REGISTRY, snapshots) == []


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "contracts" / "src")}
    return subprocess.run(
        [sys.executable, "-m", "mentornet_contracts.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )


@pytest.mark.unit
def test_cli_check_fails_on_incompatible_snapshot(snapshots: Path) -> None:
    add_field_to_snapshot(snapshots, MENTEE)
    result = _cli("check", "--schemas", str(snapshots))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"INCOMPATIBLE {MENTEE} mentor_notes: field removed or renamed" in result.stdout


@pytest.mark.unit
def test_cli_check_passes_on_committed_snapshots() -> None:
    result = _cli("check")
    assert result.returncode == 0, result.stdout + result.stderr
    count = len(REGISTRY.event_types())
    assert f"contracts: {count} event versions, all compatible" in result.stdout


def _tagged(kind: str, **props: Any) -> dict[str, Any]:
    return obj(["kind"], kind={"const": kind, "type": "string"}, **props)


@pytest.mark.unit
def test_tagged_union_member_removed() -> None:
    old = obj(a={"oneOf": [_tagged("x", p=STRING), _tagged("y", q=STRING)]})
    new = obj(a={"oneOf": [_tagged("x", p=STRING), _tagged("z", r=STRING)]})
    assert compare(old, new) == ['a: union member kind="y" removed']


@pytest.mark.unit
def test_tagged_union_member_changed_and_added() -> None:
    old = obj(a={"oneOf": [_tagged("x", p=STRING), _tagged("y", q=STRING)]})
    new = obj(a={"oneOf": [_tagged("x", p=STRING), _tagged("y", q=INTEGER), _tagged("z")]})
    assert compare(old, new) == [
        "a.q: type changed from string to integer",
        'a: union member kind="z" added, which readers on the older version refuse them',
    ]
