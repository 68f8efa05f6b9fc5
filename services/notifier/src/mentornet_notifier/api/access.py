"""What the notifier's routes act on, for the policy (mentornet_chassis.http.policy): a
participant (the person themself, seen by the coordinators of their program)."""

from __future__ import annotations

from collections.abc import Mapping

from mentornet_chassis.http.guard import Resolver
from mentornet_chassis.http.policy import Grant, Resource

from ..store import NotifierStores


def resolvers(stores: NotifierStores) -> Mapping[str, Resolver]:
    async def participant(path: Mapping[str, str]) -> Resource | None:
        found = await stores.people.get(path["participant_id"])
        if found is None or found.get("erased"):
            return None
        programs = [found["program_id"]] if found.get("program_id") else []
        selves = {found["participant_id"], found.get("person_id") or found["participant_id"]}
        return Resource(programs=frozenset(programs), people={Grant.SELF: frozenset(selves)})

    return {"participant": participant}
