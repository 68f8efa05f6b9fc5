"""The committed OpenAPI documents match the services' code (`make docs` rewrites them)."""

from __future__ import annotations

import json
import subprocess
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


ROOT = DOCS.parent.parent
REDOCLY = ROOT / ".tools" / "node_modules" / ".bin" / "redocly"


def redocly_lint(*documents: Path) -> subprocess.CompletedProcess[str]:
    assert REDOCLY.exists(), "Redocly's CLI is missing: `make redocly` installs it"
    return subprocess.run(
        [str(REDOCLY), "lint", *map(str, documents), "--format", "stylish"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_document_passes_redoclys_strict_recommended_rules() -> None:
    """redocly.yaml: every recommended rule, warnings as errors; the one exception (the
    probes answer no 4xx) is listed with its reason in .redocly.lint-ignore.yaml."""
    linted = redocly_lint(*sorted(DOCS.glob("*.json")))
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_redocly_fails_a_document_without_security_or_license(tmp_path: Path) -> None:
    document = openapi("feedback")
    for operation in document["paths"]["/feedback-requests/{request_id}"].values():
        operation.pop("security")
    document["info"].pop("license")
    broken = tmp_path / "feedback.json"
    broken.write_text(json.dumps(document))
    linted = redocly_lint(broken)
    assert linted.returncode != 0
    assert "info-license" in linted.stdout
    assert "security-defined" in linted.stdout


def test_probes_are_public_and_everything_else_asks_for_a_bearer_token() -> None:
    for service in sorted(SERVICES):
        document = openapi(service)
        assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                public = "public" in operation["x-mentornet-permission"]["grants"]
                assert operation["security"] == ([] if public else [{"bearerAuth": []}]), (
                    f"{service} {method} {path}"
                )
                if path in ("/livez", "/readyz", "/metrics"):
                    assert not [c for c in operation["responses"] if c.startswith("4")]
                if method == "get":
                    assert not {"400", "409", "413", "415"} & set(operation["responses"]), (
                        f"{service} {method} {path}"
                    )
