"""What QA's routes act on, for the policy (mentornet_chassis.http.policy): a program, a case
or a match (its program's, and the pair's), a sample (its program's), a participant
(the person themself, in the programs they are enrolled in)."""

from __future__ import annotations

from collections.abc import Mapping

from mentornet_chassis.http.guard import Resolver
from mentornet_chassis.http.policy import Resource

from ..domain.documents import Match
from ..store import QaStores


def _of_match(match: Match | None) -> Resource | None:
    if match is None or not match.get("program_id"):
        return None
    return Resource.of_match(match)


def resolvers(stores: QaStores) -> Mapping[str, Resolver]:
    async def program(path: Mapping[str, str]) -> Resource | None:
        return Resource(programs=frozenset({path["program_id"]}))

    async def case(path: Mapping[str, str]) -> Resource | None:
        return _of_match(await stores.match_of_case(path["case_id"]))

    async def match(path: Mapping[str, str]) -> Resource | None:
        return _of_match(await stores.matches.get(path["match_id"]))

    async def sample(path: Mapping[str, str]) -> Resource | None:
        found = await stores.samples.get(path["sample_id"])
        return Resource(programs=frozenset({found["program_id"]})) if found else None

    async def participant(path: Mapping[str, str]) -> Resource | None:
        found = await stores.people.get(path["participant_id"])
        if found is None:
            return None
        roles = found["roles"]
        programs = {r["program_id"] for r in (roles.get("mentor"), roles.get("mentee")) if r}
        return Resource.of_person(found["participant_id"], programs)

    return {
        "program": program,
        "case": case,
        "match": match,
        "sample": sample,
        "participant": participant,
    }
