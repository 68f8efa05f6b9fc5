"""Fixtures for the end-to-end tests: the whole local stack, run as processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.faultstack import LocalStack, started_stack


@pytest.fixture(scope="module")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with started_stack(tmp_path_factory.mktemp("faults")) as stack:
        yield stack
