"""pytest plugin: one real Kafka + MongoDB stack per test session.

Loaded for the whole repository from pyproject's addopts (`-p mentornet_tooling.testing.plugin`).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from mentornet_tooling.testing.backends import (
    Endpoints,
    choose_backend,
    container_stack,
    embedded_stack,
    external_stack,
)
from mentornet_tooling.testing.tiers import check_tiers

_choice: tuple[str, str] | None = None


def _backend() -> tuple[str, str]:
    global _choice
    if _choice is None:
        _choice = choose_backend()
    return _choice


def pytest_report_header(config: pytest.Config) -> str:
    backend, why = _backend()
    return f"mentornet test backend: {backend}" + (f" ({why})" if why else "")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Fail collection unless every test has exactly one tier (before `-m` deselects any)."""
    check_tiers(items)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoints]:
    backend, _ = _backend()
    manager: AbstractContextManager[Endpoints]
    if backend == "containers":
        manager = container_stack()
    elif backend == "external":
        manager = external_stack()
    else:
        manager = embedded_stack(tmp_path_factory.mktemp("embedded-stack"))
    with manager as endpoints:
        yield endpoints


@pytest.fixture(scope="session")
async def mongo(stack: Endpoints) -> AsyncIterator[AsyncMongoClient[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(stack.mongo_uri, tz_aware=True)
    yield client
    await client.close()


@pytest.fixture
def unique() -> str:
    """A random suffix so tests never collide on ids, databases or groups."""
    return uuid.uuid4().hex[:12]
