"""The matcher's taxonomy follows intake's taxonomy.updated events."""

from __future__ import annotations

import pytest
from mentornet_contracts.events.programs import TaxonomyUpdated
from mentornet_matcher.domain.taxonomy_view import on_taxonomy_updated, skill_map

pytestmark = pytest.mark.unit

MOJO = {
    "id": "mojo",
    "name": "Mojo",
    "cluster": "technical",
    "category": "programming-languages",
    "tier": "professional",
    "aliases": [],
}
RENAMED = {**MOJO, "id": "python-3", "name": "Python 3", "aliases": ["python", "py"]}


def update(version: int, **fields: object) -> TaxonomyUpdated:
    return TaxonomyUpdated.model_validate(
        {"taxonomy_id": "default", "taxonomy_version": version, **fields}
    )


def test_added_and_renamed_skills_resolve_and_old_ids_still_find_the_skill() -> None:
    assert skill_map(None).find("mojo") is None
    view = on_taxonomy_updated(None, update(2, added=["mojo"], skills=[MOJO]))
    view = on_taxonomy_updated(
        view,
        update(3, renamed=[{"old_id": "python", "new_id": "python-3"}], skills=[RENAMED]),
    )

    skills = skill_map(view)

    assert skills.find("mojo") is not None
    assert skills.find("python") == skills.find("python-3")
    assert skills.ids[skills.find("python") or 0] == "python-3"
    assert "python" not in skills.ids
    assert skills.category[skills.find("mojo") or 0] == skills.category[skills.find("go") or 0]


def test_an_old_or_repeated_version_changes_nothing() -> None:
    view = on_taxonomy_updated(None, update(2, added=["mojo"], skills=[MOJO]))
    assert on_taxonomy_updated(view, update(2, added=["mojo"], skills=[MOJO])) is None
    assert on_taxonomy_updated(view, update(1)) is None
