"""Curating the taxonomy: every change is versioned and announced once."""

from __future__ import annotations

import pytest
from mentornet_intake.domain.curation import (
    Rename,
    TaxonomyConflict,
    add_skill,
    deprecate_skill,
    rename_skill,
)
from mentornet_intake.domain.skills import Skill, UnknownSkillError
from mentornet_intake.domain.taxonomy import load_default

pytestmark = pytest.mark.unit

QUANTUM = Skill(
    id="quantum-computing",
    name="Quantum computing",
    cluster="technical",
    category="machine-learning",
    tier="professional",
    aliases=("qiskit",),
)


def test_adding_a_skill_raises_the_version_and_announces_it() -> None:
    before = load_default()
    curated = add_skill(before, QUANTUM)
    assert curated.taxonomy.version == before.version + 1
    assert curated.taxonomy.resolve("Qiskit").id == "quantum-computing"
    assert curated.event is not None
    assert curated.event.added == ("quantum-computing",)
    assert curated.event.skills == (QUANTUM,)
    assert curated.event.taxonomy_version == curated.taxonomy.version


@pytest.mark.parametrize("clash", ["python", "py"])
def test_an_id_or_alias_already_taken_is_a_conflict(clash: str) -> None:
    with pytest.raises(TaxonomyConflict, match="already an id or alias of python"):
        add_skill(load_default(), QUANTUM.model_copy(update={"id": "x", "aliases": (clash,)}))


def test_a_new_skill_cannot_start_deprecated() -> None:
    with pytest.raises(TaxonomyConflict, match="cannot start deprecated"):
        add_skill(load_default(), QUANTUM.model_copy(update={"deprecated": True}))


def test_rename_keeps_the_old_id_as_an_alias() -> None:
    curated = rename_skill(load_default(), "golang", Rename(new_id="go-lang", new_name="Golang"))
    assert curated.skill.id == "go-lang"
    assert curated.skill.name == "Golang"
    assert curated.taxonomy.resolve("go").id == "go-lang"
    assert curated.event is not None
    assert [(r.old_id, r.new_id) for r in curated.event.renamed] == [("go", "go-lang")]
    assert [(s.id, s.cluster, "go" in s.aliases) for s in curated.event.skills] == [
        ("go-lang", "technical", True)
    ]


def test_renaming_onto_another_skill_is_a_conflict_and_unknown_skills_are_named() -> None:
    with pytest.raises(TaxonomyConflict, match="already an id or alias of python"):
        rename_skill(load_default(), "go", Rename(new_id="python"))
    with pytest.raises(UnknownSkillError, match="did you mean: python"):
        rename_skill(load_default(), "pyhton", Rename(new_id="snake"))


def test_deprecating_twice_announces_once() -> None:
    once = deprecate_skill(load_default(), "golang")
    assert once.event is not None
    assert once.event.deprecated == ("go",)
    assert once.taxonomy.resolve("go").deprecated
    twice = deprecate_skill(once.taxonomy, "go")
    assert twice.event is None
    assert twice.taxonomy.version == once.taxonomy.version
