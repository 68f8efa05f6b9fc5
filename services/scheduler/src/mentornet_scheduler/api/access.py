"""What the scheduler's routes act on, for the policy (mentornet_chassis.http.policy): a match
or a session is its pair's and its program's; a person is theirs and their programs';
a cohort is its mentor's, its members' and its program's."""

from __future__ import annotations

from collections.abc import Mapping

from mentornet_chassis.http.auth import Principal, Role
from mentornet_chassis.http.guard import Resolver
from mentornet_chassis.http.policy import Grant, Resource

from ..domain.views import Viewer
from ..store import SchedulerStores


def viewer(principal: Principal) -> Viewer:
    """The caller as the scheduler's rules see them."""
    return Viewer(
        ids=principal.ids,
        service=principal.has(Role.SERVICE),
        coordinates=principal.scope(Role.COORDINATOR),
    )


def resolvers(stores: SchedulerStores) -> Mapping[str, Resolver]:
    async def match(path: Mapping[str, str]) -> Resource | None:
        found = await stores.match_states.get(path["match_id"])
        return Resource.of_match(found) if found is not None else None

    async def session(path: Mapping[str, str]) -> Resource | None:
        found = await stores.match_with_session(path["session_id"])
        return Resource.of_match(found) if found is not None else None

    async def participant(path: Mapping[str, str]) -> Resource | None:
        person = path["participant_id"]
        programs = {m["program_id"] for m in await stores.matches_of(person)}
        return Resource.of_person(person, programs)

    async def cohort(path: Mapping[str, str]) -> Resource | None:
        found = await stores.cohort_states.get(path["cohort_id"])
        if found is None:
            return None
        return Resource(
            programs=frozenset({found["program_id"]}),
            people={
                Grant.MENTOR: frozenset({found["mentor_id"]}),
                Grant.MENTEE: frozenset(found["members"].values()),
            },
        )

    return {"match": match, "session": session, "participant": participant, "cohort": cohort}
