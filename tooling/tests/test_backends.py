"""Which servers the tests use: MENTORNET_TEST_BACKEND, and Docker's presence."""

from __future__ import annotations

import pytest
from mentornet_tooling.testing import backends

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("asked", "docker", "expected"),
    [
        (None, False, ("embedded", "")),
        (None, True, ("containers", "")),
        ("embedded", True, ("embedded", "")),
        ("external", False, ("external", "")),
        ("containers", True, ("containers", "")),
        (
            "containers",
            False,
            ("embedded", "no Docker engine answered, so containers cannot start"),
        ),
    ],
)
def test_choice(
    monkeypatch: pytest.MonkeyPatch, asked: str | None, docker: bool, expected: tuple[str, str]
) -> None:
    if asked is None:
        monkeypatch.delenv("MENTORNET_TEST_BACKEND", raising=False)
    else:
        monkeypatch.setenv("MENTORNET_TEST_BACKEND", asked)
    monkeypatch.setattr(backends, "docker_answers", lambda: docker)
    assert backends.choose_backend() == expected


def test_unknown_backend_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORNET_TEST_BACKEND", "kubernetes")
    with pytest.raises(ValueError, match="embedded, containers, external"):
        backends.choose_backend()
