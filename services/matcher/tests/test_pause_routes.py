"""The pause routes as the OpenAPI document shows them: `weeks` bounded by the
contracts' longest pause, the pair's requests answering 202 while waiting, and the
routes that withdraw one's own open request (the pair only)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from mentornet_contracts.events.programs import MAX_PAUSE_WEEKS
from mentornet_matcher.api.matches import router

pytestmark = pytest.mark.unit

PERMISSION = "x-mentornet-permission"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    app = FastAPI()
    app.include_router(router)
    return app.openapi()


def test_weeks_shows_its_range(document: dict[str, Any]) -> None:
    weeks = document["components"]["schemas"]["PauseBody"]["properties"]["weeks"]
    assert (weeks["minimum"], weeks["maximum"]) == (1, MAX_PAUSE_WEEKS)


@pytest.mark.parametrize("action", ["pause", "resume"])
def test_the_pairs_requests_answer_202_while_waiting(document: dict[str, Any], action: str) -> None:
    route = document["paths"][f"/matches/{{match_id}}/{action}"]["post"]
    assert {"200", "202"} <= set(route["responses"])
    waiting = route["responses"]["202"]["content"]["application/json"]["schema"]
    assert waiting["$ref"].endswith("/PausingView")


@pytest.mark.parametrize("kind", ["pause", "resume"])
def test_the_pair_withdraws_their_own_request(document: dict[str, Any], kind: str) -> None:
    route = document["paths"][f"/matches/{{match_id}}/{kind}-request"]["delete"]
    assert route[PERMISSION]["grants"] == ["mentee", "mentor"]
    assert route[PERMISSION]["resource"] == "match"
    assert route["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/MatchView"
    )
