"""checkov (Bridgecrew's policy scanner, installed by `make checkov`) over each rendered
overlay: every check passes but the skips below, each with its reason."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from deploy import pin, validate

CHECKOV = validate.ROOT / ".tools" / "checkov" / "bin" / "checkov"
PROD = validate.K8S / "overlays" / "prod" / "kustomization.yaml"
DIGEST = "sha256:" + "ab" * 32

pytestmark = pytest.mark.unit

SKIPS: dict[str, dict[str, str]] = {
    "dev": {
        # The shared development cluster runs the newest image of the main branch on
        # purpose: its tag is `main`, pulled on every start (imagePullPolicy Always).
        "CKV_K8S_43": "image should use digest",
    },
    "prod": {},
}
UNPINNED_PROD = {
    # No image has been published from this repository yet, so there is no digest to
    # pin. The release step pins the digest its push returned (`python -m deploy
    # --pin-image sha256:...`, deploy/pin.py); from then on this skip no longer applies.
    "CKV_K8S_43": "image should use digest",
}


def _skips(overlay: str) -> dict[str, str]:
    unpinned = overlay == "prod" and pin.pinned_digest(PROD) is None
    return SKIPS[overlay] | (UNPINNED_PROD if unpinned else {})


def _failed(resources: list[validate.Resource], skips: dict[str, str], tmp: Path) -> list[str]:
    manifest = tmp / "rendered.yaml"
    manifest.write_text(yaml.safe_dump_all(resources, sort_keys=False))
    command = [str(CHECKOV), "-f", str(manifest), "--framework", "kubernetes", "-o", "json"]
    if skips:
        command += ["--skip-check", ",".join(sorted(skips))]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    results = report["results"]
    assert results["passed_checks"], "checkov checked nothing"
    return sorted(f"{c['check_id']} {c['resource']}" for c in results["failed_checks"])


@pytest.mark.parametrize("overlay", validate.OVERLAYS)
def test_every_checkov_check_passes_on_each_overlay_but_the_justified_skips(
    overlay: str, rendered: dict[str, list[validate.Resource]], tmp_path: Path
) -> None:
    assert _failed(rendered[overlay], _skips(overlay), tmp_path) == []


def test_without_the_skips_checkov_fails_exactly_the_skipped_checks(
    rendered: dict[str, list[validate.Resource]], tmp_path: Path
) -> None:
    failed = _failed(rendered["dev"], {}, tmp_path)
    assert {line.split()[0] for line in failed} == set(SKIPS["dev"])


def test_the_release_pins_the_prod_image_by_digest(tmp_path: Path) -> None:
    tree = tmp_path / "k8s"
    shutil.copytree(validate.K8S, tree)
    pin.pin(tree / "overlays" / "prod" / "kustomization.yaml", DIGEST)
    pin.pin(tree / "overlays" / "prod" / "kustomization.yaml", DIGEST)
    images = {
        r["spec"]["template"]["spec"]["containers"][0]["image"]
        for r in validate.kustomize(tree / "overlays" / "prod")
        if r["kind"] == "Deployment"
    }
    assert images == {f"ghcr.io/mentornet/mentornet:0.1.0@{DIGEST}"}
    with pytest.raises(pin.PinError, match="not a digest"):
        pin.pin(tree / "overlays" / "prod" / "kustomization.yaml", "latest")
