"""The committed OpenAPI documents match the services' code (`make docs` rewrites them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mentornet_chassis.apidocs import openapi, render
from mentornet_contracts import SERVICES

pytestmark = pytest.mark.unit
DOCS = Path(__file__).resolve().parent.parent / "docs" / "api"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_committed_openapi_is_current(service: str) -> None:
    committed = (DOCS / f"{service}.json").read_text()
    assert committed == render(openapi(service)), (
        f"docs/api/{service}.json is stale: run `make docs` and commit it"
    )


def test_intake_documents_its_routes_and_errors() -> None:
    paths = openapi("intake")["paths"]
    assert {
        "/programs",
        "/programs/{program_id}",
        "/programs/{program_id}/publish",
        "/participants/mentees",
        "/participants/mentors",
        "/participants/{participant_id}",
    } <= set(paths)
