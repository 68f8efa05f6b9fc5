"""A pair for the largest-bodies world (tests/support/world_bodies.py): a mentor and a
mentee registered through intake in a program of their own, placed by a batch run, the
mentor accepting; shared by the experiment and invitation bodies."""

from __future__ import annotations

from functools import partial
from typing import Any

from mentornet_contracts.catalogue import MATCHES
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.support.events import events_of
from tests.support.format_bodies import GOAL, PYTHON, for_mentee, person
from tests.support.helpers import matcher_knows, token


async def confirmed_pair(
    stack: Endpoints,
    intake: RunningService,
    matcher: RunningService,
    unique: str,
    program_id: str,
    team: dict[str, str],
    label: str,
) -> tuple[str, str, dict[str, Any]]:
    """(mentor id, mentee id, the mentee's match.proposed), the match confirmed.
    `label` keeps the people's names apart from other pairs of the world."""
    people = []
    for role, fields in (("mentor", {"skills": PYTHON}), ("mentee", {"goals": [GOAL]})):
        body = person(unique, f"{label}-{role}", program_id, **fields)
        created = await intake.http.post(f"/participants/{role}s", json=body, headers=team)
        assert created.status_code == 201, created.text
        people.append(str(created.json()["participant_id"]))
        await eventually(partial(matcher_knows, matcher, people[-1]), what=f"{role} known")
    mentor, mentee = people
    await matcher.http.post(f"/programs/{program_id}/matching-runs", headers=team)
    [proposed] = await events_of(stack, MATCHES.name, "match.proposed", partial(for_mentee, mentee))
    accepted = await matcher.http.post(
        f"/matches/{proposed['match_id']}/accept", headers=token(mentor, "mentor")
    )
    assert accepted.status_code == 200, accepted.text
    return mentor, mentee, proposed
