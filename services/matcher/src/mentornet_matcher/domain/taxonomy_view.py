"""The skill taxonomy as the matcher knows it: the shipped default plus every change
intake announced (taxonomy.updated), so skills added or renamed after release score
like any other and old ids keep resolving through aliases."""

from __future__ import annotations

from mentornet_contracts.events.programs import TaxonomyUpdated
from mentornet_contracts.taxonomy import Skill, default_taxonomy

from .documents import TaxonomyView as View
from .skillmap import SkillMap


def on_taxonomy_updated(current: View | None, event: TaxonomyUpdated) -> View | None:
    """Changes apply in version order; an older or repeated version changes nothing."""
    state: View = current or {"version": 0, "skills": {}, "renamed": {}}
    if event.taxonomy_version <= state["version"]:
        return None
    skills = {**state["skills"], **{s.id: s.model_dump(mode="json") for s in event.skills}}
    renamed = {**state["renamed"], **{r.old_id: r.new_id for r in event.renamed}}
    return {"version": event.taxonomy_version, "skills": skills, "renamed": renamed}


def skill_map(view: View | None) -> SkillMap:
    if not view:
        return SkillMap.default()
    skills = {s.id: s for s in default_taxonomy().skills}
    for old_id in view["renamed"]:
        skills.pop(old_id, None)
    for definition in view["skills"].values():
        skill = Skill.model_validate(definition)
        skills[skill.id] = skill
    return SkillMap.of(skills.values())
