"""Rendered overlays, once per session: kubectl kustomize takes a second each."""

from __future__ import annotations

import pytest

from deploy import validate


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[validate.Resource]]:
    return {o: validate.kustomize(validate.K8S / "overlays" / o) for o in validate.OVERLAYS}
