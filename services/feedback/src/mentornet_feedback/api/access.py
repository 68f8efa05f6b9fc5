"""What feedback's routes act on, for the policy (mentornet_chassis.http.policy), and who
the caller is as far as what they see depends on it (domain/visibility.py: each party
their own match's feedback, the other party's private answers and the report's notes
excepted; the program's coordinators, QA reviewers and service accounts all of it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends
from mentornet_chassis.errors import NotFound
from mentornet_chassis.http.auth import Role
from mentornet_chassis.http.guard import Resolver, SignedIn
from mentornet_chassis.http.policy import PAIR, QA_TEAM, Grant, Resource

from ..domain.reports import find_item
from ..domain.visibility import Viewer
from ..store import FeedbackStores

SEE = (*PAIR, *QA_TEAM)
"""Who sees a match's feedback: its pair, and its program's team and QA reviewers."""


def viewer(principal: SignedIn) -> Viewer:
    """The caller as the domain's visibility rules read them: overseeing a program is
    running it (coordinator) or reviewing it (QA); a service account oversees all."""
    return Viewer(
        subject=principal.subject,
        ids=principal.ids,
        oversees_all=principal.has(Role.SERVICE),
        overseen=principal.scope(Role.COORDINATOR) | principal.scope(Role.REVIEWER),
    )


Caller = Annotated[Viewer, Depends(viewer)]


class Resources:
    """Each kind of thing a route acts on, found from the route's path."""

    def __init__(self, stores: FeedbackStores) -> None:
        self.stores = stores

    async def _of_part(self, kind: str, part_id: str) -> Resource | None:
        found = await self.stores.match_of(kind, part_id)
        return Resource.of_match(found) if found is not None else None

    async def match(self, path: Mapping[str, str]) -> Resource | None:
        found = await self.stores.match(path["match_id"])
        return Resource.of_match(found) if found is not None else None

    async def session(self, path: Mapping[str, str]) -> Resource | None:
        return await self._of_part("session", path["session_id"])

    async def request(self, path: Mapping[str, str]) -> Resource | None:
        request_id = path["request_id"]
        found = await self.stores.match_of("request", request_id)
        if found is None or request_id not in found["requests"]:
            return None
        asked = found["requests"][request_id]["participant_id"]
        return Resource.of_person(asked, {found["program_id"]})

    async def item(self, path: Mapping[str, str]) -> Resource | None:
        """An action item is its mentor's to complete, and its mentee's when theirs."""
        found = await self.stores.match_of("item", path["item_id"])
        if found is None:
            return None
        try:
            _, owned = find_item(found, path["item_id"])
        except NotFound:
            return None
        mentee = {found["mentee_id"]} if owned["owner"] == "mentee" else set()
        return Resource(
            programs=frozenset({found["program_id"]}),
            people={Grant.MENTOR: frozenset({found["mentor_id"]}), Grant.MENTEE: frozenset(mentee)},
        )

    async def participant(self, path: Mapping[str, str]) -> Resource | None:
        person_id = path["participant_id"]
        person = await self.stores.person(person_id)
        programs = {m["program_id"] for m in await self.stores.matches_of(person_id)}
        enrolled = (person.get("program_id") if person else None) or ""
        return Resource.of_person(person_id, programs | {enrolled})

    async def mentor(self, path: Mapping[str, str]) -> Resource | None:
        mentor_id = path["mentor_id"]
        programs = {m["program_id"] for m in await self.stores.mentored_by(mentor_id)}
        return Resource.of_person(mentor_id, programs)

    async def program(self, path: Mapping[str, str]) -> Resource | None:
        return Resource(programs=frozenset({path["program_id"]}))


def resolvers(stores: FeedbackStores) -> Mapping[str, Resolver]:
    found = Resources(stores)
    return {
        "match": found.match,
        "session": found.session,
        "request": found.request,
        "item": found.item,
        "participant": found.participant,
        "mentor": found.mentor,
        "program": found.program,
    }
