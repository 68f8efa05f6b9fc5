"""docs/operations.md lists every setting the services read, and no setting they do
not; the runbooks the alerts link to exist."""

from __future__ import annotations

import re

import pytest
import yaml
from mentornet_contracts import SERVICES

from deploy import settings_doc, validate

pytestmark = pytest.mark.unit

OPERATIONS = validate.ROOT / "docs" / "operations.md"


def _documented() -> set[str]:
    section = OPERATIONS.read_text().partition(settings_doc.BEGIN)[2]
    names = set(re.findall(r"^\| `([A-Z0-9_<>]+)` \|", section, flags=re.MULTILINE))
    spelled = {n for n in names if "<SERVICE>" not in n}
    for name in names - spelled:
        spelled |= {name.replace("<SERVICE>", s.upper()) for s in SERVICES}
    return spelled


def test_every_setting_read_is_documented_and_every_documented_one_is_read() -> None:
    read = settings_doc.variables_read()
    documented = _documented()
    assert read - documented == set(), "read but not documented"
    assert documented - read == set(), "documented but read by nothing"
    assert "MENTORNET_SCHEDULER_FEED_KEY" in read
    assert "KAFKA_SASL_PASSWORD" in read


def test_a_setting_added_to_a_service_is_missing_from_the_doc_until_regenerated() -> None:
    from mentornet_matcher.settings import MatcherSettings
    from pydantic import Field, create_model

    grown = create_model(
        "GrownMatcherSettings",
        __base__=MatcherSettings,
        shiny_new_knob=(int, Field(default=1, description="A new knob.")),
    )
    names = {s.variable for s in settings_doc.settings_of(grown)}
    assert "MENTORNET_MATCHER_SHINY_NEW_KNOB" in names
    assert "MENTORNET_MATCHER_SHINY_NEW_KNOB" not in _documented()


def test_every_alert_links_to_a_runbook_section() -> None:
    alerts = yaml.safe_load(
        (validate.K8S / "components" / "monitoring" / "alerts.yaml").read_text()
    )
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", line[4:].strip().lower()).replace(" ", "-")
        for line in OPERATIONS.read_text().splitlines()
        if line.startswith("### ")
    }
    for rule in alerts["spec"]["groups"][0]["rules"]:
        page, _, anchor = rule["annotations"]["runbook"].partition("#")
        assert page == "docs/operations.md"
        assert anchor in anchors, rule["alert"]


def test_alerts_watch_exactly_mentornets_groups_and_deployments() -> None:
    """Not Strimzi's own deployments (mentornet-entity-operator) nor operator groups."""
    text = (validate.K8S / "components" / "monitoring" / "alerts.yaml").read_text()
    groups = set(re.findall(r'consumergroup=~"mentornet-\(([a-z|]+)\)"', text))
    deployments = set(re.findall(r'deployment=~"mentornet-\(([a-z|]+)\)"', text))
    consumers = {s for s, spec in SERVICES.items() if spec.consumes}
    assert [set(g.split("|")) for g in groups] == [consumers]
    assert [set(d.split("|")) for d in deployments] == [set(SERVICES)]
