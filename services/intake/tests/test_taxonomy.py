"""The skill taxonomy: the shipped default, lookups, suggestions and versioned changes."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from mentornet_contracts.taxonomy import MAX_ALIASES
from mentornet_intake.domain.taxonomy import Skill, Taxonomy, UnknownSkillError, load_default
from pydantic import ValidationError

pytestmark = pytest.mark.unit


@pytest.fixture
def default() -> Taxonomy:
    return load_default()


def skill(**overrides: Any) -> Skill:
    fields: dict[str, Any] = {
        "id": "chaos-engineering",
        "name": "Chaos Engineering",
        "cluster": "technical",
        "category": "devops",
        "tier": "expert",
        "aliases": ["chaos testing"],
    }
    return Skill.model_validate(fields | overrides)


def test_default_is_large_and_covers_all_clusters(default: Taxonomy) -> None:
    clusters = Counter(s.cluster for s in default.skills)
    assert len(default.skills) >= 150
    assert set(clusters) == {"technical", "soft_skill", "leadership"}
    assert all(count >= 25 for count in clusters.values())
    assert default.taxonomy_id == "default"
    assert default.version == 1


def test_default_ids_and_aliases_are_unique_and_apart(default: Taxonomy) -> None:
    ids = [s.id for s in default.skills]
    aliases = [alias for s in default.skills for alias in s.aliases]
    assert len(ids) == len(set(ids))
    assert len(aliases) == len(set(aliases))
    assert not set(ids) & set(aliases)
    assert all(alias == alias.lower() for alias in aliases)


def test_default_skills_have_a_tier_and_are_offered(default: Taxonomy) -> None:
    tiers = {s.tier for s in default.skills}
    assert tiers == {"foundational", "professional", "expert"}
    assert not any(s.deprecated for s in default.skills)
    assert default.offered() == default.skills


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kubernetes", "kubernetes"),
        ("k8s", "kubernetes"),
        ("K8S", "kubernetes"),
        ("  JS ", "javascript"),
        ("Machine Learning", "machine-learning"),
        ("golang", "go"),
    ],
)
def test_resolve_follows_aliases_in_any_case(default: Taxonomy, text: str, expected: str) -> None:
    assert default.resolve(text).id == expected


def test_typo_suggests_the_intended_skill_first(default: Taxonomy) -> None:
    assert default.suggest("kubernets")[0] == "kubernetes"
    assert default.suggest("pyhton")[0] == "python"
    assert len(default.suggest("comunication", n=2)) <= 2


def test_unknown_skill_is_rejected_with_suggestions(default: Taxonomy) -> None:
    with pytest.raises(UnknownSkillError, match=r"unknown skill 'kubernets'; did you mean: kub"):
        default.resolve("kubernets")
    with pytest.raises(UnknownSkillError) as raised:
        default.resolve("kubernets")
    assert raised.value.skill == "kubernets"
    assert raised.value.suggestions[0] == "kubernetes"


def test_nothing_close_gives_no_suggestions(default: Taxonomy) -> None:
    with pytest.raises(UnknownSkillError) as raised:
        default.resolve("zzzzzzzz")
    assert raised.value.suggestions == []
    assert str(raised.value) == "unknown skill 'zzzzzzzz'"


def test_validate_skills_canonicalises_and_drops_repeats(default: Taxonomy) -> None:
    assert default.validate_skills(["k8s", "Python", "kubernetes"]) == ["kubernetes", "python"]


def test_validate_skills_raises_for_the_first_unknown(default: Taxonomy) -> None:
    with pytest.raises(UnknownSkillError) as raised:
        default.validate_skills(["python", "pyton", "zzzzzzzz"])
    assert raised.value.skill == "pyton"


def test_rename_keeps_the_old_id_resolving(default: Taxonomy) -> None:
    renamed = default.rename("kubernetes", "kubernetes-administration", "Kubernetes Admin")
    moved = renamed.resolve("kubernetes")
    assert moved.id == "kubernetes-administration"
    assert moved.name == "Kubernetes Admin"
    assert renamed.resolve("k8s") == moved
    assert "kubernetes" in moved.aliases
    assert renamed.version == default.version + 1
    assert default.resolve("kubernetes").id == "kubernetes"


def test_rename_to_an_alias_of_the_same_skill_promotes_it(default: Taxonomy) -> None:
    renamed = default.rename("go", "golang")
    assert renamed.resolve("golang").aliases == ("go",)
    assert renamed.resolve("go").name == "Go"


def test_rename_refuses_a_clash_and_a_bad_id(default: Taxonomy) -> None:
    with pytest.raises(ValueError, match="already an id or alias of python"):
        default.rename("kubernetes", "python")
    with pytest.raises(ValidationError):
        default.rename("kubernetes", "Not Kebab")
    with pytest.raises(UnknownSkillError):
        default.rename("no-such-skill", "other")


def test_a_skill_with_the_most_aliases_cannot_be_renamed(default: Taxonomy) -> None:
    """Renaming keeps the old id as an alias: a skill already at the limit refuses,
    naming it, rather than failing in the taxonomy's own validation."""
    full = Skill(
        id="full",
        name="Full",
        cluster="technical",
        category="testing",
        tier="expert",
        aliases=tuple(f"full-{n}" for n in range(MAX_ALIASES)),
    )
    taxonomy = default.add(full)
    with pytest.raises(ValueError, match=f"at most {MAX_ALIASES}"):
        taxonomy.rename("full", "fuller")
    assert taxonomy.rename("kubernetes", "k8s-admin").resolve("kubernetes").id == "k8s-admin"


def test_deprecate_keeps_resolving_but_stops_offering(default: Taxonomy) -> None:
    deprecated = default.deprecate("flask")
    assert deprecated.version == default.version + 1
    assert deprecated.resolve("flask").deprecated
    assert deprecated.resolve("flask").deprecated
    assert deprecated.validate_skills(["flask"]) == ["flask"]
    assert "flask" not in deprecated.suggest("flsk")
    assert len(deprecated.offered()) == len(default.skills) - 1
    assert deprecated.deprecate("flask") is deprecated


def test_add_appends_and_bumps_the_version(default: Taxonomy) -> None:
    added = default.add(skill())
    assert added.version == default.version + 1
    assert added.resolve("Chaos Testing").id == "chaos-engineering"
    assert added.same_cluster("chaos-engineering", "k8s")


@pytest.mark.parametrize(
    ("overrides", "clash"),
    [
        ({"id": "python"}, "'python'"),
        ({"aliases": ["K8s"]}, "'k8s'"),
        ({"aliases": ["kubernetes"]}, "'kubernetes'"),
    ],
)
def test_add_refuses_clashing_ids_and_aliases(
    default: Taxonomy, overrides: dict[str, Any], clash: str
) -> None:
    with pytest.raises(ValueError, match=clash):
        default.add(skill(**overrides))


def test_same_cluster(default: Taxonomy) -> None:
    assert default.same_cluster("k8s", "python")
    assert not default.same_cluster("python", "coaching")
    with pytest.raises(UnknownSkillError):
        default.same_cluster("python", "zzzzzzzz")


def test_document_round_trip(default: Taxonomy) -> None:
    changed = default.add(skill()).rename("go", "golang").deprecate("flask")
    document = changed.to_document()
    assert isinstance(document["skills"][0]["aliases"], list)
    restored = Taxonomy.from_document({**document, "_id": "stored-by-mongo"})
    assert restored == changed
    assert restored.resolve("go").id == "golang"
    assert restored.version == 4


def test_from_document_refuses_a_clash() -> None:
    document = {
        "taxonomy_id": "t",
        "version": 1,
        "skills": [skill().model_dump(), skill(id="chaos-testing", aliases=[]).model_dump()],
    }
    with pytest.raises(ValidationError, match="already an id or alias of chaos-engineering"):
        Taxonomy.from_document(document)
