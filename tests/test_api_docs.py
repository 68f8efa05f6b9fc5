"""The committed OpenAPI documents match the services' code (`make docs` rewrites them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mentornet_contracts import SERVICES
from mentornet_contracts.bounds import unbounded
from mentornet_tooling.apidocs import openapi, render

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


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_string_list_and_map_of_every_request_body_has_a_bound(service: str) -> None:
    """Documented in the OpenAPI document, so clients see the limits the service keeps."""
    document = openapi(service)
    unbounded_parts = [
        f"{method.upper()} {path} {content}: {problem}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for content, body in ((operation.get("requestBody") or {}).get("content") or {}).items()
        for problem in unbounded(body.get("schema", {}), document)
    ]
    assert unbounded_parts == []


def test_a_free_form_map_is_reported_as_unbounded() -> None:
    free = {"type": "object", "properties": {"answers": {"type": "object"}}}
    assert unbounded(free) == ["answers: free-form object"]


def test_the_policy_table_in_security_md_is_current() -> None:
    from mentornet_tooling.policy_doc import with_table

    security = DOCS.parent / "security.md"
    documents = {service: openapi(service) for service in SERVICES}
    assert security.read_text() == with_table(security.read_text(), documents), (
        "docs/security.md's policy table is stale: run `make docs` and commit it"
    )


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_operation_declares_its_permission(service: str) -> None:
    from mentornet_chassis.http.policy import EXTENSION

    undeclared = [
        f"{method.upper()} {path}"
        for path, operations in openapi(service)["paths"].items()
        for method, operation in operations.items()
        if EXTENSION not in operation
    ]
    assert undeclared == []
