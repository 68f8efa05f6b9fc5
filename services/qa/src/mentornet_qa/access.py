"""What QA's routes act on, for the policy (mentornet_chassis.http.policy): a program, a case
or a match (its program's, and the pair's), a sample (its program's)."""

from __future__ import annotations

from collections.abc import Mapping

from mentornet_chassis.http.guard import Resolver
from mentornet_chassis.http.policy import Grant, Resource
from mentornet_chassis.store.aggregates import State

from .store import QaStores

TEAM = (Grant.COORDINATOR, Grant.SERVICE)
"""The program's coordinators and service accounts."""
QA_TEAM = (*TEAM, Grant.REVIEWER)
"""...and its QA reviewers."""


async def match_of_case(stores: QaStores, case_id: str) -> State | None:
    for field in ("state.case.case_id", "state.closed_cases.case_id"):
        found = await stores.matches.collection.find_one({field: case_id})
        if found is not None:
            state: State = found["state"]
            return state
    return None


def _of_match(match: State | None) -> Resource | None:
    if match is None or not match.get("program_id"):
        return None
    return Resource.of_match(match)


def resolvers(stores: QaStores) -> Mapping[str, Resolver]:
    async def program(path: Mapping[str, str]) -> Resource | None:
        return Resource(programs=frozenset({path["program_id"]}))

    async def case(path: Mapping[str, str]) -> Resource | None:
        return _of_match(await match_of_case(stores, path["case_id"]))

    async def match(path: Mapping[str, str]) -> Resource | None:
        return _of_match(await stores.matches.get_state(path["match_id"]))

    async def sample(path: Mapping[str, str]) -> Resource | None:
        found = await stores.samples.get_state(path["sample_id"])
        return Resource(programs=frozenset({found["program_id"]})) if found else None

    return {"program": program, "case": case, "match": match, "sample": sample}
