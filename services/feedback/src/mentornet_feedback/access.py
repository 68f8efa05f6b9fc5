"""What feedback's routes act on, for the policy (mentornet_chassis.http.policy), and what a
caller admitted to a match sees: each party their own match's feedback (the other
party's private answers and the report's notes excepted); the program's coordinators,
QA reviewers and service accounts all of it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mentornet_chassis.http.auth import Principal, Role
from mentornet_chassis.http.guard import Resolver
from mentornet_chassis.http.policy import Grant, Resource

from .domain.errors import Missing
from .domain.reports import find_item
from .domain.visibility import Reader
from .store import FeedbackStores

PAIR = (Grant.MENTOR, Grant.MENTEE)
TEAM = (Grant.COORDINATOR, Grant.SERVICE)
QA_TEAM = (*TEAM, Grant.REVIEWER)


def overseer(principal: Principal, program_id: str) -> bool:
    return (
        principal.has(Role.SERVICE) or principal.runs(program_id) or principal.reviews(program_id)
    )


def reader(principal: Principal, match: dict[str, Any]) -> Reader:
    """How a caller the policy admitted to the match reads it."""
    if match["mentor_id"] in principal.ids:
        return "mentor"
    if match["mentee_id"] in principal.ids:
        return "mentee"
    return "overseer"


def reading_as(principal: Principal, match: dict[str, Any]) -> str:
    """The id a caller reads a match as: their enrolment in it, else their subject."""
    return principal.one_of(match["mentor_id"], match["mentee_id"]) or principal.subject


def resolvers(stores: FeedbackStores) -> Mapping[str, Resolver]:
    async def of_part(kind: str, part_id: str) -> Resource | None:
        found = await stores.match_of(kind, part_id)
        return Resource.of_match(found) if found is not None else None

    async def match(path: Mapping[str, str]) -> Resource | None:
        found = await stores.matches.get_state(path["match_id"])
        return Resource.of_match(found) if found is not None else None

    async def session(path: Mapping[str, str]) -> Resource | None:
        return await of_part("session", path["session_id"])

    async def request(path: Mapping[str, str]) -> Resource | None:
        request_id = path["request_id"]
        found = await stores.match_of("request", request_id)
        if found is None or request_id not in found["requests"]:
            return None
        asked = found["requests"][request_id]["participant_id"]
        return Resource.of_person(asked, {found["program_id"]})

    async def item(path: Mapping[str, str]) -> Resource | None:
        """An action item is its mentor's to complete, and its mentee's when theirs."""
        found = await stores.match_of("item", path["item_id"])
        if found is None:
            return None
        try:
            _, owned = find_item(found, path["item_id"])
        except Missing:
            return None
        mentee = {found["mentee_id"]} if owned["owner"] == "mentee" else set()
        return Resource(
            programs=frozenset({found["program_id"]}),
            people={Grant.MENTOR: frozenset({found["mentor_id"]}), Grant.MENTEE: frozenset(mentee)},
        )

    async def participant(path: Mapping[str, str]) -> Resource | None:
        person_id = path["participant_id"]
        person = await stores.people.get_state(person_id) or {}
        programs = {m["program_id"] for m in await stores.matches_of(person_id)}
        return Resource.of_person(person_id, programs | {person.get("program_id") or ""})

    async def mentor(path: Mapping[str, str]) -> Resource | None:
        mentor_id = path["mentor_id"]
        programs = {m["program_id"] for m in await stores.mentored_by(mentor_id)}
        return Resource.of_person(mentor_id, programs)

    async def program(path: Mapping[str, str]) -> Resource | None:
        return Resource(programs=frozenset({path["program_id"]}))

    return {
        "match": match,
        "session": session,
        "request": request,
        "item": item,
        "participant": participant,
        "mentor": mentor,
        "program": program,
    }
