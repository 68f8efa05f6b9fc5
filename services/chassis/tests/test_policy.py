"""The policy's decision: every grant, in and out of scope, and what a refusal says."""

from __future__ import annotations

import pytest
from mentornet_chassis.http.auth import Principal, Role
from mentornet_chassis.http.policy import (
    QA_TEAM,
    TEAM,
    VIEWERS,
    Grant,
    Permission,
    Resource,
    allow,
    decide,
    might_pass,
)

pytestmark = pytest.mark.unit

MATCH = Resource(
    programs=frozenset({"prog-a"}),
    people={Grant.MENTOR: frozenset({"mentor-1"}), Grant.MENTEE: frozenset({"mentee-1"})},
)


def who(subject: str, *roles: Role, programs: tuple[str, ...] = ()) -> Principal:
    return Principal(subject, frozenset(roles), frozenset(programs))


def permission(*grants: Grant, hide: bool = False) -> Permission:
    return Permission("match.read", frozenset(grants), on="match", hide=hide)


@pytest.mark.parametrize(
    ("principal", "allowed"),
    [
        (who("c", Role.COORDINATOR, programs=("prog-a",)), True),
        (who("c", Role.COORDINATOR, programs=("prog-b",)), False),
        (who("r", Role.REVIEWER, programs=("prog-a",)), False),
        (who("mentor-1"), True),
        (who("mentee-1"), False),
        (who("svc", Role.SERVICE), True),
        (who("curator", Role.TAXONOMY_CURATOR), False),
        (who("s", Role.SPONSOR, programs=("prog-a",)), False),
    ],
)
def test_each_grant_holds_only_in_its_scope(principal: Principal, allowed: bool) -> None:
    rule = permission(Grant.COORDINATOR, Grant.MENTOR, Grant.SERVICE)
    assert (decide(rule, principal, MATCH) is None) is allowed


def test_out_of_scope_is_403_naming_who_may_or_404_where_existence_leaks() -> None:
    stranger = who("someone")
    refused = decide(permission(Grant.MENTOR), stranger, MATCH)
    assert refused is not None
    assert refused.status == 403
    assert "match.read is for: mentor" in refused.body["reason"]
    hidden = decide(permission(Grant.MENTOR, hide=True), stranger, MATCH)
    assert hidden is not None
    assert hidden.status == 404
    assert hidden.body["field"] == "match_id"


def test_owners_count_as_coordinators_only_with_the_coordinator_role() -> None:
    program = Resource(
        programs=frozenset({"prog-a"}), people={Grant.COORDINATOR: frozenset({"creator"})}
    )
    rule = Permission("programs.change", frozenset({Grant.COORDINATOR}), on="program")
    assert decide(rule, who("creator", Role.COORDINATOR), program) is None
    assert decide(rule, who("creator", Role.REVIEWER), program) is not None


def test_a_role_that_cannot_hold_is_refused_before_any_lookup() -> None:
    rule = Permission("taxonomy.change", frozenset({Grant.TAXONOMY_CURATOR}))
    assert not might_pass(rule, who("c", Role.COORDINATOR, programs=("prog-a",)))
    assert might_pass(rule, who("t", Role.TAXONOMY_CURATOR))
    assert might_pass(permission(Grant.MENTOR), who("anyone"))


def test_without_a_resource_a_scoped_role_holds_anywhere() -> None:
    rule = Permission("programs.create", frozenset({Grant.COORDINATOR}))
    assert decide(rule, who("c", Role.COORDINATOR), None) is None
    assert decide(rule, who("m"), None) is not None


def test_personal_grants_need_a_resource() -> None:
    with pytest.raises(ValueError, match="need a resource"):
        allow("me.read", Grant.SELF)


def test_a_declaration_survives_its_openapi_round_trip() -> None:
    declared = allow("match.read", Grant.MENTOR, Grant.SERVICE, on="match", hide=True)
    extension = declared["openapi_extra"]["x-mentornet-permission"]
    assert Permission.of(extension) == permission(Grant.MENTOR, Grant.SERVICE, hide=True)


def test_a_sponsor_reads_figures_of_their_programs_only() -> None:
    figures = Permission("figures.read", frozenset(VIEWERS), on="program")
    team = Permission("programs.change", frozenset(TEAM), on="program")
    qa_team = Permission("samples.read", frozenset(QA_TEAM), on="program")
    a, b = Resource(frozenset({"prog-a"})), Resource(frozenset({"prog-b"}))
    sponsor = who("s", Role.SPONSOR, programs=("prog-a",))
    assert decide(figures, sponsor, a) is None
    assert decide(figures, sponsor, b) is not None
    assert decide(team, sponsor, a) is not None
    assert decide(qa_team, sponsor, a) is not None
    assert not might_pass(team, sponsor)
    assert might_pass(figures, sponsor)


def test_a_sponsor_named_in_program_roles_holds_there_alone() -> None:
    figures = Permission("figures.read", frozenset(VIEWERS), on="program")
    sponsor = Principal("s", frozenset(), program_roles=(("prog-b", Role.SPONSOR),))
    assert decide(figures, sponsor, Resource(frozenset({"prog-b"}))) is None
    assert decide(figures, sponsor, Resource(frozenset({"prog-a"}))) is not None
    assert sponsor.scope(Role.SPONSOR) == {"prog-b"}


def test_viewers_are_the_qa_team_and_sponsors() -> None:
    assert set(VIEWERS) == {*QA_TEAM, Grant.SPONSOR}
    coordinator = who("c", Role.COORDINATOR, programs=("prog-a",))
    reviewer = who("r", Role.REVIEWER, programs=("prog-a",))
    figures = Permission("figures.read", frozenset(VIEWERS), on="program")
    for caller in (coordinator, reviewer, who("svc", Role.SERVICE)):
        assert decide(figures, caller, Resource(frozenset({"prog-a"}))) is None
