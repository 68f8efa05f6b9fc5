"""schemathesis against every live service: no 5xx, every response (its status, its
media type, its body) as the service's OpenAPI document says."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from mentornet_chassis.http.auth import DEV_KEY, mint
from mentornet_contracts import SERVICES
from mentornet_tooling.embedded import free_port
from mentornet_tooling.testing.backends import Endpoints
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.integration
EXAMPLES_PER_OPERATION = 8
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
AUTH = {"Authorization": f"Bearer {mint(DEV_KEY, 'c-fuzz', ['coordinator'])}"}


@pytest.fixture(params=sorted(SERVICES))
def service_url(
    request: pytest.FixtureRequest, stack: Endpoints, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(service, its base URL): the service run as production runs it (`mentornet-service
    serve`), on its own database."""
    service: str = request.param
    port, suffix = free_port(), uuid.uuid4().hex[:8]
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers,
        "MONGODB_URI": stack.mongo_uri,
        "MONGODB_DATABASE": f"test_fuzz_{service}_{suffix}",
        f"MENTORNET_{service.upper()}_HTTP_PORT": str(port),
    }
    log = Path(tmp_path_factory.mktemp("fuzz")) / f"{service}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mentornet_chassis.process.main", "serve", service],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/livez", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError(f"{service} did not start: {log.read_text()[-2000:]}")
        yield service, url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_every_api_has_no_5xx_and_matches_its_schema(service_url: tuple[str, str]) -> None:
    """Each operation gets a bounded number of generated requests, valid and invalid."""
    service, url = service_url
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    failures: list[str] = []
    operations = [r.ok() for r in schema.get_all_operations() if isinstance(r, Ok)]
    assert len(operations) >= 5, service
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case: Any) -> None:
            case.call_and_validate(base_url=url, headers=AUTH, checks=CHECKS)

        try:
            exercise()
        except Exception as exc:
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert not failures, f"{service}:\n" + "\n\n".join(failures)
