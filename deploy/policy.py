"""The hardening a platform team's admission policy checks, on rendered resources:
Pod Security "restricted" plus a read-only root filesystem, probes, resources, a
disruption budget, a default-deny network with egress only to DNS, Kafka and MongoDB,
and no Secret shipped in the manifests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .resources import KAFKA_PORT, MONGO_PORT, NOTIFIER_EGRESS, PORT
from .validate import Resource, where

EGRESS_PORTS = {53, KAFKA_PORT, MONGO_PORT}


def policy_problems(resources: list[Resource]) -> list[str]:
    problems = [p for r in resources if r["kind"] == "Deployment" for p in _deployment(r)]
    problems += _disruption_budgets(resources)
    problems += _network(resources)
    problems += [f"{where(r)}: a Secret is committed" for r in resources if r["kind"] == "Secret"]
    return problems


def _deployment(deployment: Resource) -> Iterator[str]:
    name = where(deployment)
    pod = deployment["spec"]["template"]["spec"]
    context = pod.get("securityContext", {})
    if context.get("runAsNonRoot") is not True:
        yield f"{name}: pod securityContext.runAsNonRoot must be true"
    if context.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        yield f"{name}: pod seccompProfile must be RuntimeDefault"
    if pod.get("automountServiceAccountToken") is not False:
        yield f"{name}: automountServiceAccountToken must be false"
    for container in pod["containers"]:
        yield from (f"{name}/{container['name']}: {p}" for p in _container(container))


def _container(container: dict[str, Any]) -> Iterator[str]:
    context = container.get("securityContext", {})
    if context.get("allowPrivilegeEscalation") is not False:
        yield "allowPrivilegeEscalation must be false"
    if context.get("readOnlyRootFilesystem") is not True:
        yield "readOnlyRootFilesystem must be true"
    if context.get("capabilities", {}).get("drop") != ["ALL"]:
        yield "capabilities.drop must be [ALL]"
    if context.get("privileged"):
        yield "privileged is not allowed"
    for probe, path in (("livenessProbe", "/livez"), ("readinessProbe", "/readyz")):
        if container.get(probe, {}).get("httpGet", {}).get("path") != path:
            yield f"{probe} must GET {path}"
        if container.get(probe, {}).get("timeoutSeconds", 1) < 2:
            yield f"{probe} needs timeoutSeconds of 2 or more (it checks Kafka and MongoDB)"
    resources = container.get("resources", {})
    for bound in ("requests", "limits"):
        missing = {"cpu", "memory"} - set(resources.get(bound, {}))
        if missing:
            yield f"resources.{bound} lacks {', '.join(sorted(missing))}"
    if str(container.get("image", "")).endswith(":latest") or ":" not in container.get("image", ""):
        yield f"image {container.get('image')!r} must carry a pinned tag"


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    wanted = selector.get("matchLabels", {})
    return all(labels.get(k) == v for k, v in wanted.items())


def _disruption_budgets(resources: list[Resource]) -> Iterator[str]:
    budgets = [r for r in resources if r["kind"] == "PodDisruptionBudget"]
    for deployment in (r for r in resources if r["kind"] == "Deployment"):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        covering = [b for b in budgets if _selects(b["spec"]["selector"], labels)]
        if [b["spec"].get("maxUnavailable") for b in covering] != [1]:
            yield f"{where(deployment)}: needs one PodDisruptionBudget with maxUnavailable 1"


IDENTITY_POLICY = "mentornet-allow-identity-provider"
"""The one egress beyond DNS, Kafka and MongoDB: HTTPS to the identity provider's JWKS."""
COLLECTOR_POLICY = "mentornet-allow-trace-collector"
OTLP_HTTP_PORT = 4318
"""With components/tracing: OTLP/HTTP to the OpenTelemetry collector."""


def _network(resources: list[Resource]) -> Iterator[str]:
    policies = [r for r in resources if r["kind"] == "NetworkPolicy"]
    if not any(
        p["spec"]["podSelector"] == {}
        and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
        for p in policies
    ):
        yield "NetworkPolicy: no default-deny policy for the namespace"
    names = {p["metadata"]["name"] for p in policies}
    for deployment in (r for r in resources if r["kind"] == "Deployment"):
        if deployment["metadata"]["name"] not in names:
            yield f"{where(deployment)}: needs its own NetworkPolicy"
    for policy in policies:
        yield from _rules(policy)


NOTIFIER_POLICY = "mentornet-notifier"
NOTIFIER_BLOCKS = {cidr for cidr, _ in NOTIFIER_EGRESS.values()}
"""The notifier alone also reaches intake's pods and its SMTP relay (one host, by CIDR)."""


def _allowed(name: str) -> set[int]:
    if name == IDENTITY_POLICY:
        return {443}
    if name == COLLECTOR_POLICY:
        return {OTLP_HTTP_PORT}
    if name == NOTIFIER_POLICY:
        return EGRESS_PORTS | {PORT} | {port for _, port in NOTIFIER_EGRESS.values()}
    return EGRESS_PORTS


def _open(name: str, peer: Resource) -> bool:
    """A peer that is an address block is open unless it is the notifier's relay, and a
    relay block wider than one host is open too."""
    if "ipBlock" not in peer:
        return False
    cidr = str(peer["ipBlock"].get("cidr", ""))
    return name != NOTIFIER_POLICY or cidr not in NOTIFIER_BLOCKS or not cidr.endswith("/32")


def _rules(policy: Resource) -> Iterator[str]:
    """Every rule names its ports and its peers; egress goes only where it may."""
    name = policy["metadata"]["name"]
    allowed = _allowed(name)
    for rule in policy["spec"].get("egress", []):
        ports = {port.get("port") for port in rule.get("ports", [])}
        if not rule.get("to") or any(_open(name, peer) for peer in rule["to"]):
            yield f"{where(policy)}: an egress rule open to every destination"
        if not ports or not ports <= allowed:
            shown = sorted(ports, key=str)
            yield f"{where(policy)}: egress to ports {shown}, not only DNS, Kafka, MongoDB"
    for rule in policy["spec"].get("ingress", []):
        ports = {port.get("port") for port in rule.get("ports", [])}
        if ports != {"http"} or not rule.get("from"):
            yield f"{where(policy)}: ingress must be the HTTP port from named namespaces"
