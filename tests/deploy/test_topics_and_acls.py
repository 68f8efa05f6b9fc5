"""The Strimzi topics and users say what the contracts' topic registry says: the
expected state is derived from REGISTRY and SERVICES and compared with what the prod
overlay renders, so a topic or a consumer added in code fails here until deployed."""

from __future__ import annotations

from collections import defaultdict

import pytest
from mentornet_contracts import REGISTRY, SERVICES

from deploy import validate

pytestmark = pytest.mark.unit

Grants = dict[str, set[str]]


def _of(resources: list[validate.Resource], kind: str) -> list[validate.Resource]:
    return [r for r in resources if r["kind"] == kind]


def test_every_registry_topic_and_dlq_is_a_kafka_topic_with_its_partitions_and_retention(
    rendered: dict[str, list[validate.Resource]],
) -> None:
    topics = {
        t["spec"]["topicName"]: (t["spec"]["partitions"], t["spec"]["config"]["retention.ms"])
        for t in _of(rendered["prod"], "KafkaTopic")
    }
    expected = {
        t.name: (t.partitions, t.retention_days * 24 * 3600 * 1000) for t in REGISTRY.topics
    }
    assert topics == expected
    assert {t["spec"]["replicas"] for t in _of(rendered["prod"], "KafkaTopic")} == {3}
    assert {t["spec"]["replicas"] for t in _of(rendered["dev"], "KafkaTopic")} == {1}


def _grants(user: validate.Resource) -> tuple[Grants, set[str]]:
    """Topic name -> operations, and the consumer groups the user may join."""
    topics: Grants = defaultdict(set)
    groups: set[str] = set()
    for rule in user["spec"]["authorization"]["acls"]:
        resource = rule["resource"]
        assert rule.get("type", "allow") == "allow"
        if resource["type"] == "topic":
            assert resource["patternType"] == "literal", "service users get no wildcards"
            topics[resource["name"]] |= set(rule["operations"])
        elif resource["type"] == "group":
            assert rule["operations"] == ["Read"]
            groups.add(resource["name"])
        else:
            pytest.fail(f"unexpected ACL resource {resource}")
    return topics, groups


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_each_service_writes_only_its_own_topics_and_reads_what_it_consumes(
    rendered: dict[str, list[validate.Resource]], service: str
) -> None:
    spec = SERVICES[service]
    [user] = [
        u
        for u in _of(rendered["prod"], "KafkaUser")
        if u["metadata"]["name"] == f"mentornet-{service}"
    ]
    assert user["spec"]["authentication"] == {"type": "scram-sha-512"}
    topics, groups = _grants(user)

    writes = {name for name, ops in topics.items() if "Write" in ops}
    reads = {name for name, ops in topics.items() if "Read" in ops}
    assert writes == {t.name for t in (*spec.publishes, spec.dlq)}
    assert reads == {t.name for t in spec.consumes}
    assert all(ops <= {"Read", "Write", "Describe"} for ops in topics.values())
    assert groups == ({f"mentornet-{service}"} if spec.consumes else set())


def test_no_two_services_write_the_same_topic(
    rendered: dict[str, list[validate.Resource]],
) -> None:
    writers: dict[str, list[str]] = defaultdict(list)
    for user in _of(rendered["prod"], "KafkaUser"):
        if user["metadata"]["name"] == "mentornet-operator":
            continue
        for name, ops in _grants(user)[0].items():
            if "Write" in ops:
                writers[name].append(user["metadata"]["name"])
    assert {name: len(w) for name, w in writers.items() if len(w) != 1} == {}


@pytest.mark.parametrize("service", sorted(s for s, spec in SERVICES.items() if spec.consumes))
def test_keda_scales_each_consumer_on_its_own_group_up_to_its_partitions(
    rendered: dict[str, list[validate.Resource]], service: str
) -> None:
    spec = SERVICES[service]
    [scaled] = [
        r
        for r in _of(rendered["prod"], "ScaledObject")
        if r["metadata"]["name"] == f"mentornet-{service}"
    ]
    [trigger] = scaled["spec"]["triggers"]
    assert trigger["type"] == "kafka"
    assert trigger["metadata"]["consumerGroup"] == f"mentornet-{service}"
    widest = max(REGISTRY.topic(t.name).partitions for t in spec.consumes)
    assert scaled["spec"]["minReplicaCount"] <= scaled["spec"]["maxReplicaCount"] <= widest
    assert scaled["spec"]["scaleTargetRef"]["name"] == f"mentornet-{service}"
    auths = {r["metadata"]["name"] for r in _of(rendered["prod"], "TriggerAuthentication")}
    assert trigger["authenticationRef"]["name"] in auths
