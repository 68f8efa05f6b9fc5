"""The experiment routes and the team's closing of a match, as the OpenAPI document
shows them: the program's team only, weights keyed by any name (the domain names an
unknown signal), reasons limited to the team's four."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from mentornet_matcher.api import ROUTERS

pytestmark = pytest.mark.unit

PERMISSION = "x-mentornet-permission"
BASE = "/programs/{program_id}/experiments"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    app = FastAPI()
    for router in ROUTERS:
        app.include_router(router)
    return app.openapi()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", BASE),
        ("put", BASE + "/{experiment_id}/arms"),
        ("post", BASE + "/{experiment_id}/stop"),
        ("get", BASE + "/{experiment_id}"),
    ],
)
def test_the_program_team_runs_experiments(
    document: dict[str, Any], method: str, path: str
) -> None:
    route = document["paths"][path][method]
    assert route[PERMISSION]["grants"] == ["coordinator", "service"]
    assert route[PERMISSION]["resource"] == "program"
    answer = next(iter(route["responses"].values()))
    assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/ExperimentView")


def test_bodies_are_bounded(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["ExperimentBody"]["properties"]["arms"]["maxItems"] == 6
    assert schemas["RuleBody"]["properties"]["weights"]["maxProperties"] == 16
    assert schemas["RuleBody"]["additionalProperties"] is False


def test_the_team_closes_a_match_with_one_of_four_reasons(document: dict[str, Any]) -> None:
    route = document["paths"]["/matches/{match_id}/end"]["post"]
    assert route[PERMISSION]["grants"] == ["coordinator", "service"]
    assert route[PERMISSION]["resource"] == "match"
    reason = document["components"]["schemas"]["EndBody"]["properties"]["reason"]
    assert set(reason["enum"]) == {"completed", "withdrawn", "stalled", "other"}
