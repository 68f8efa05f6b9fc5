"""The Kubernetes resources that follow from the contracts: one base per service, and
the Strimzi topics and users and the KEDA scalers, all derived from the topic registry
and the service specs (who writes what, who reads what).

Names: every service runs as `mentornet-<service>`, which is also its Kafka user, its
consumer group (the runner's default) and the name of the Secret Strimzi's User
Operator writes its password into.
"""

from __future__ import annotations

from typing import Any

from mentornet_contracts import REGISTRY, SERVICES
from mentornet_contracts.budget import MAX_MESSAGE_BYTES
from mentornet_contracts.catalogue import DLQ_TOPICS, EVENT_TOPICS, ServiceSpec
from mentornet_contracts.registry import Topic

Resource = dict[str, Any]

PORT = 8080
UID = 10001
KAFKA_CLUSTER = "mentornet"
KAFKA_NAMESPACE = "kafka"
KAFKA_PORT = 9093
MONGO_NAMESPACE = "mongodb"
MONGO_PORT = 27017
TOPIC_REPLICAS = 3
CA_DIR = "/etc/mentornet/kafka-ca"
LAG_THRESHOLD = "50"
READY_FAILURES = 6
"""30 s of failed readiness before a pod leaves its Service: /readyz also says whether
the consumer holds partitions, and a group rebalance (a rollout step, a KEDA scale)
takes them from every member for a few seconds at once."""
OPERATOR_USER = "mentornet-operator"
STRIMZI_LABELS = {"strimzi.io/cluster": KAFKA_CLUSTER, "app.kubernetes.io/part-of": "mentornet"}

RESOURCES = {
    "matcher": ({"cpu": "250m", "memory": "512Mi"}, {"cpu": "2", "memory": "2Gi"}),
    "default": ({"cpu": "100m", "memory": "256Mi"}, {"cpu": "1", "memory": "512Mi"}),
}
"""Requests and limits; the matcher's batch solve is the one heavy workload."""

SECRET_ENV: dict[str, dict[str, tuple[str, str]]] = {
    "scheduler": {"MENTORNET_SCHEDULER_FEED_KEY": ("mentornet-scheduler-keys", "feed-key")},
    "qa": {"MENTORNET_QA_DASHBOARD_KEY": ("mentornet-qa-keys", "dashboard-key")},
    "notifier": {
        "MENTORNET_NOTIFIER_UNSUBSCRIBE_KEY": ("mentornet-notifier-keys", "unsubscribe-key"),
        "MENTORNET_NOTIFIER_EMAIL_URL": ("mentornet-notifier-keys", "email-url"),
        "MENTORNET_NOTIFIER_WEBHOOK_URL": ("mentornet-notifier-keys", "webhook-url"),
        "MENTORNET_NOTIFIER_WEBHOOK_SECRET": ("mentornet-notifier-keys", "webhook-secret"),
    },
}
"""Service secrets beyond the Kafka password and the MongoDB URI every service has (the
notifier's channel URLs carry the relay's and the webhook's credentials)."""

NOTIFIER_EGRESS = {"smtp": ("10.0.0.25/32", 587), "webhook": ("10.0.0.26/32", 443)}
"""Where the notifier may connect besides DNS, Kafka, MongoDB and intake: the SMTP relay
and the webhook host (CIDR, port); overlays patch them to the real hosts."""


def name(service: str) -> str:
    return f"mentornet-{service}"


def labels(service: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": name(service),
        "app.kubernetes.io/component": service,
        "app.kubernetes.io/part-of": "mentornet",
    }


def selector(service: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": name(service)}


def config(service: str) -> dict[str, str]:
    """Non-secret settings (a ConfigMap); overlays change them per environment."""
    prefix = f"MENTORNET_{service.upper()}_"
    return {
        f"{prefix}ENVIRONMENT": "production",
        f"{prefix}HTTP_HOST": "0.0.0.0",
        f"{prefix}HTTP_PORT": str(PORT),
        f"{prefix}LOG_LEVEL": "INFO",
        "KAFKA_BOOTSTRAP_SERVERS": (
            f"{KAFKA_CLUSTER}-kafka-bootstrap.{KAFKA_NAMESPACE}.svc:{KAFKA_PORT}"
        ),
        "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "KAFKA_SASL_USERNAME": name(service),
        "KAFKA_SSL_CAFILE": f"{CA_DIR}/ca.crt",
        "KAFKA_IDEMPOTENT_PRODUCER": "true",
        "MONGODB_DATABASE": f"mentornet_{service}",
        "AUTH_JWKS_URL": "https://sso.example.internal/.well-known/jwks.json",
        "AUTH_ISSUER": "https://sso.example.internal",
        "AUTH_AUDIENCE": "mentornet",
        **(
            {f"{prefix}INTAKE_URL": f"http://{name('intake')}:{PORT}"}
            if service == "notifier"
            else {}
        ),
    }


SECRETS_DIR = "/var/run/secrets/mentornet"


def secret_refs(service: str) -> dict[str, tuple[str, str]]:
    """Each secret setting of `service`: the Secret and the key that hold it."""
    return {
        "KAFKA_SASL_PASSWORD": (name(service), "password"),
        "MONGODB_URI": (f"{name(service)}-mongodb", "uri"),
        **SECRET_ENV.get(service, {}),
    }


def secret_env(service: str) -> list[Resource]:
    """Secrets are mounted as files (secret_volumes); the environment only says where
    (`NAME_FILE`, read by the chassis settings), so no secret is in the environment."""
    return [
        {"name": f"{var}_FILE", "value": f"{SECRETS_DIR}/{secret}/{key}"}
        for var, (secret, key) in secret_refs(service).items()
    ]


def secret_volumes(service: str) -> tuple[list[Resource], list[Resource]]:
    """The volumes holding the service's secrets, and where they are mounted."""
    secrets = sorted({secret for secret, _ in secret_refs(service).values()})
    volumes = [{"name": s, "secret": {"secretName": s, "defaultMode": 0o440}} for s in secrets]
    mounts = [{"name": s, "mountPath": f"{SECRETS_DIR}/{s}", "readOnly": True} for s in secrets]
    return volumes, mounts


def deployment(service: str) -> Resource:
    requests, limits = RESOURCES.get(service, RESOURCES["default"])
    secret_vols, secret_mounts = secret_volumes(service)
    probe = {
        "httpGet": {"path": "/readyz", "port": "http"},
        "periodSeconds": 5,
        "timeoutSeconds": 5,
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name(service), "labels": labels(service)},
        "spec": {
            "revisionHistoryLimit": 5,
            "selector": {"matchLabels": selector(service)},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
            },
            "template": {
                "metadata": {"labels": labels(service)},
                "spec": {
                    "serviceAccountName": name(service),
                    "automountServiceAccountToken": False,
                    "terminationGracePeriodSeconds": 40,
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": UID,
                        "runAsGroup": UID,
                        "fsGroup": UID,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "topologySpreadConstraints": [
                        {
                            "maxSkew": 1,
                            "topologyKey": "kubernetes.io/hostname",
                            "whenUnsatisfiable": "ScheduleAnyway",
                            "labelSelector": {"matchLabels": selector(service)},
                        }
                    ],
                    "containers": [
                        {
                            "name": service,
                            "image": "mentornet",
                            "imagePullPolicy": "Always",
                            "args": ["serve", service],
                            "ports": [{"name": "http", "containerPort": PORT, "protocol": "TCP"}],
                            "envFrom": [{"configMapRef": {"name": name(service)}}],
                            "env": secret_env(service),
                            "startupProbe": {
                                "httpGet": {"path": "/livez", "port": "http"},
                                "periodSeconds": 2,
                                "failureThreshold": 30,
                            },
                            "livenessProbe": {
                                "httpGet": {"path": "/livez", "port": "http"},
                                "periodSeconds": 10,
                                "timeoutSeconds": 3,
                                "failureThreshold": 3,
                            },
                            "readinessProbe": {**probe, "failureThreshold": READY_FAILURES},
                            "resources": {"requests": requests, "limits": limits},
                            "securityContext": {
                                "allowPrivilegeEscalation": False,
                                "readOnlyRootFilesystem": True,
                                "runAsNonRoot": True,
                                "capabilities": {"drop": ["ALL"]},
                                "seccompProfile": {"type": "RuntimeDefault"},
                            },
                            "volumeMounts": [
                                {"name": "tmp", "mountPath": "/tmp"},
                                {"name": "kafka-ca", "mountPath": CA_DIR, "readOnly": True},
                                *secret_mounts,
                            ],
                        }
                    ],
                    "volumes": [
                        {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}},
                        {"name": "kafka-ca", "secret": {"secretName": "mentornet-kafka-ca"}},
                        *secret_vols,
                    ],
                },
            },
        },
    }


def service_resource(service: str) -> Resource:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name(service), "labels": labels(service)},
        "spec": {
            "type": "ClusterIP",
            "selector": selector(service),
            "ports": [{"name": "http", "port": PORT, "targetPort": "http", "protocol": "TCP"}],
        },
    }


def service_account(service: str) -> Resource:
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": name(service), "labels": labels(service)},
        "automountServiceAccountToken": False,
    }


def disruption_budget(service: str) -> Resource:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": name(service), "labels": labels(service)},
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": selector(service)}},
    }


def network_policy(service: str) -> Resource:
    """Egress to DNS, Kafka and MongoDB only; ingress on the HTTP port only from
    namespaces labelled mentornet.io/access=true (the ingress controller, Prometheus)."""

    def to(namespace: str, port: int, pods: dict[str, str] | None = None) -> Resource:
        peer: Resource = {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}}
        }
        if pods:
            peer["podSelector"] = {"matchLabels": pods}
        return {"to": [peer], "ports": [{"protocol": "TCP", "port": port}]}

    dns = to("kube-system", 53, {"k8s-app": "kube-dns"})
    dns["ports"] = [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]
    kafka_pods = {"strimzi.io/cluster": KAFKA_CLUSTER, "strimzi.io/kind": "Kafka"}
    extra = notifier_egress() if service == "notifier" else []
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name(service), "labels": labels(service)},
        "spec": {
            "podSelector": {"matchLabels": selector(service)},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [
                {
                    "from": [
                        {"namespaceSelector": {"matchLabels": {"mentornet.io/access": "true"}}}
                    ],
                    "ports": [{"protocol": "TCP", "port": "http"}],
                }
            ],
            "egress": [
                dns,
                to(KAFKA_NAMESPACE, KAFKA_PORT, kafka_pods),
                to(MONGO_NAMESPACE, MONGO_PORT),
                *extra,
            ],
        },
    }


def notifier_egress() -> list[Resource]:
    """The notifier's own egress: intake's pods (contact lookup) and NOTIFIER_EGRESS."""
    intake = {
        "to": [{"podSelector": {"matchLabels": selector("intake")}}],
        "ports": [{"protocol": "TCP", "port": PORT}],
    }
    hosts = [
        {"to": [{"ipBlock": {"cidr": cidr}}], "ports": [{"protocol": "TCP", "port": port}]}
        for cidr, port in NOTIFIER_EGRESS.values()
    ]
    return [intake, *hosts]


def kustomization(service: str) -> Resource:
    return {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": [f"{kind}.yaml" for kind in BASE_FILES if kind != "kustomization"],
        "configMapGenerator": [
            {
                "name": name(service),
                "options": {"labels": labels(service)},
                "literals": [f"{k}={v}" for k, v in config(service).items()],
            }
        ],
    }


BASE_FILES = {
    "serviceaccount": service_account,
    "deployment": deployment,
    "service": service_resource,
    "pdb": disruption_budget,
    "networkpolicy": network_policy,
    "kustomization": kustomization,
}


def kafka_topic(topic: Topic) -> Resource:
    return {
        "apiVersion": "kafka.strimzi.io/v1",
        "kind": "KafkaTopic",
        "metadata": {
            "name": topic.name.replace(".", "-"),
            "labels": STRIMZI_LABELS,
        },
        "spec": {
            "topicName": topic.name,
            "partitions": topic.partitions,
            "replicas": TOPIC_REPLICAS,
            "config": {
                "retention.ms": topic.retention_days * 24 * 3600 * 1000,
                "max.message.bytes": MAX_MESSAGE_BYTES,
                "cleanup.policy": "delete",
                "min.insync.replicas": 2,
            },
        },
    }


def acl(kind: str, resource: str, *operations: str, pattern: str = "literal") -> Resource:
    return {
        "resource": {"type": kind, "name": resource, "patternType": pattern},
        "operations": list(operations),
        "host": "*",
    }


def service_acls(spec: ServiceSpec) -> list[Resource]:
    """Write its own topics and DLQ, read what it consumes, join its own group."""
    rules = [acl("topic", t.name, "Write", "Describe") for t in (*spec.publishes, spec.dlq)]
    rules += [acl("topic", t.name, "Read", "Describe") for t in spec.consumes]
    if spec.consumes:
        rules.append(acl("group", name(spec.name), "Read"))
    return rules


def operator_acls() -> list[Resource]:
    """The operator CLI: read every topic (tail, trace, DLQ list) without a committed
    group of its own, and write event topics back (DLQ replay)."""
    rules = [acl("topic", "mentornet.", "Read", "Describe", pattern="prefix")]
    rules += [acl("topic", t.name, "Write") for t in EVENT_TOPICS]
    rules.append(acl("group", "mentornet-operator-", "Read", pattern="prefix"))
    return rules


def kafka_user(user: str, acls: list[Resource]) -> Resource:
    return {
        "apiVersion": "kafka.strimzi.io/v1",
        "kind": "KafkaUser",
        "metadata": {
            "name": user,
            "labels": STRIMZI_LABELS,
        },
        "spec": {
            "authentication": {"type": "scram-sha-512"},
            "authorization": {"type": "simple", "acls": acls},
        },
    }


def kafka_users() -> list[Resource]:
    users = [kafka_user(name(s), service_acls(spec)) for s, spec in sorted(SERVICES.items())]
    return [*users, kafka_user(OPERATOR_USER, operator_acls())]


def kafka_topics() -> list[Resource]:
    return [kafka_topic(t) for t in (*EVENT_TOPICS, *DLQ_TOPICS)]


def max_replicas(spec: ServiceSpec) -> int:
    """Members beyond the widest consumed topic's partition count would sit idle."""
    return max(REGISTRY.topic(t.name).partitions for t in spec.consumes)


def scalers() -> list[Resource]:
    """A KEDA ScaledObject on consumer lag, and its TriggerAuthentication, per consumer."""
    out: list[Resource] = []
    for service, spec in sorted(SERVICES.items()):
        if not spec.consumes:
            continue
        out.append(_trigger_auth(service))
        out.append(_scaled_object(service, spec))
    return out


def _trigger_auth(service: str) -> Resource:
    return {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "TriggerAuthentication",
        "metadata": {"name": name(service), "labels": labels(service)},
        "spec": {
            "secretTargetRef": [
                {"parameter": "password", "name": name(service), "key": "password"},
                {"parameter": "ca", "name": "mentornet-kafka-ca", "key": "ca.crt"},
            ],
            "env": [
                {"parameter": "username", "name": "KAFKA_SASL_USERNAME", "containerName": service}
            ],
        },
    }


def _scaled_object(service: str, spec: ServiceSpec) -> Resource:
    return {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject",
        "metadata": {"name": name(service), "labels": labels(service)},
        "spec": {
            "scaleTargetRef": {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": name(service),
            },
            "pollingInterval": 30,
            "cooldownPeriod": 300,
            "minReplicaCount": 2,
            "maxReplicaCount": max_replicas(spec),
            "triggers": [
                {
                    "type": "kafka",
                    "metadata": {
                        "bootstrapServersFromEnv": "KAFKA_BOOTSTRAP_SERVERS",
                        "consumerGroup": name(service),
                        "lagThreshold": LAG_THRESHOLD,
                        "offsetResetPolicy": "earliest",
                        "sasl": "scram_sha512",
                        "tls": "enable",
                    },
                    "authenticationRef": {"name": name(service)},
                }
            ],
        },
    }
