"""What the matcher's routes act on, for the policy (mentornet_chassis.http.policy): a match is
its pair's and its program's; a candidate is the person's and their programs'; a program
board is its coordinators'."""

from __future__ import annotations

from collections.abc import Mapping

from mentornet_chassis.http.guard import Resolver
from mentornet_chassis.http.policy import Resource

from ..domain.candidates import programs_of
from ..store import MatcherStores


def resolvers(stores: MatcherStores) -> Mapping[str, Resolver]:
    async def match(path: Mapping[str, str]) -> Resource | None:
        found = await stores.match(path["match_id"])
        return Resource.of_match(found) if found is not None else None

    async def participant(path: Mapping[str, str]) -> Resource | None:
        person = path["participant_id"]
        found = await stores.candidate(person)
        if found is None:
            return None
        return Resource.of_person(person, programs_of(found).values())

    async def program(path: Mapping[str, str]) -> Resource | None:
        program_id = path["program_id"]
        if await stores.program(program_id) is None:
            return None
        return Resource(programs=frozenset({program_id}))

    return {"match": match, "participant": participant, "program": program}
