"""Who may call what: every route declares one permission, checked before its body is read.

A permission lists grants. A grant is a role scoped to what the route acts on: the
coordinators, reviewers or sponsors of its program, the person it is about, the mentor or the
mentee of its match, a service account, a taxonomy curator, anyone signed in, or the
public (probes, signed links). Routes that act on something name a resource kind; the
service resolves the path's ids to a `Resource` (its programs and its people) and the
decision is made here, once, by `decide`. docs/security.md is generated from the
declarations (`mentornet api docs`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from mentornet_chassis.errors import Forbidden, NotFound, Refusal
from mentornet_chassis.http.auth import Principal, Role

EXTENSION = "x-mentornet-permission"


class Grant(StrEnum):
    PUBLIC = "public"
    """No token needed: probes, metrics, and links carrying their own signature."""
    SIGNED_IN = "signed_in"
    """Any valid token."""
    SERVICE = "service"
    COORDINATOR = "coordinator"
    """A coordinator of the resource's program (of any program when there is no resource)."""
    REVIEWER = "reviewer"
    """A QA reviewer of the resource's program."""
    SPONSOR = "sponsor"
    """An executive sponsor of the resource's program (of any program when there is no
    resource): reads its figures."""
    TAXONOMY_CURATOR = "taxonomy_curator"
    SELF = "self"
    """The person the resource is about."""
    MENTOR = "mentor"
    """The mentor of the resource's match."""
    MENTEE = "mentee"
    """The mentee of the resource's match."""


TEAM = (Grant.COORDINATOR, Grant.SERVICE)
"""A program's team: its coordinators, and services acting for it."""
QA_TEAM = (*TEAM, Grant.REVIEWER)
"""The team and the program's QA reviewers."""
VIEWERS = (*QA_TEAM, Grant.SPONSOR)
"""Who may read a program's figures: its QA team and its sponsors."""
PAIR = (Grant.MENTOR, Grant.MENTEE)
"""The two people of a match."""


PARTY = (Grant.MENTOR, Grant.MENTEE)
PERSONAL = frozenset({Grant.SELF, Grant.MENTOR, Grant.MENTEE})
_ROLE_OF = {
    Grant.SERVICE: Role.SERVICE,
    Grant.COORDINATOR: Role.COORDINATOR,
    Grant.REVIEWER: Role.REVIEWER,
    Grant.SPONSOR: Role.SPONSOR,
    Grant.TAXONOMY_CURATOR: Role.TAXONOMY_CURATOR,
}


@dataclass(frozen=True)
class Permission:
    name: str
    """What the route does, e.g. `sessions.reschedule`: a row of the policy table."""
    grants: frozenset[Grant]
    on: str | None = None
    """The resource kind the path names (resolved by the service), or None."""
    hide: bool = False
    """Out of scope answers 404, as if the resource did not exist: where existence leaks."""

    def declared(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "grants": sorted(self.grants),
            "resource": self.on,
            "out_of_scope": 404 if self.hide else 403,
        }

    @classmethod
    def of(cls, declared: Mapping[str, Any]) -> Permission:
        return cls(
            name=declared["name"],
            grants=frozenset(Grant(g) for g in declared["grants"]),
            on=declared.get("resource"),
            hide=declared["out_of_scope"] == 404,
        )


def allow(name: str, *grants: Grant, on: str | None = None, hide: bool = False) -> dict[str, Any]:
    """Route keyword arguments declaring its permission:
    `@router.get("/matches/{match_id}", **allow("matches.read", MENTOR, MENTEE, on="match"))`."""
    if not grants:
        raise ValueError(f"{name}: a permission grants something")
    permission = Permission(name, frozenset(grants), on, hide)
    if on is None and permission.grants & PERSONAL:
        raise ValueError(f"{name}: self, mentor and mentee need a resource")
    return {"openapi_extra": {EXTENSION: permission.declared()}}


@dataclass(frozen=True)
class Resource:
    """What a route acts on, as far as authorization cares."""

    programs: frozenset[str] = frozenset()
    people: Mapping[Grant, frozenset[str]] = field(default_factory=dict)
    """Who counts as SELF, MENTOR or MENTEE here; COORDINATOR lists coordinators who own
    the resource besides those whose token names its program."""

    @classmethod
    def of_match(cls, match: Mapping[str, Any]) -> Resource:
        """A match as every service keeps it: its program, its mentor and its mentee."""
        return cls(
            programs=frozenset({match["program_id"]}),
            people={
                Grant.MENTOR: frozenset({match["mentor_id"]}),
                Grant.MENTEE: frozenset({match["mentee_id"]}),
            },
        )

    @classmethod
    def of_person(cls, person_id: str, programs: Iterable[str]) -> Resource:
        """A person, seen by the coordinators and reviewers of the programs they are in."""
        return cls(programs=frozenset(programs), people={Grant.SELF: frozenset({person_id})})


def might_pass(permission: Permission, principal: Principal) -> bool:
    """Whether any grant could hold for this caller, before the resource is looked up."""
    grants = permission.grants
    if grants & {Grant.PUBLIC, Grant.SIGNED_IN} or (grants & PERSONAL):
        return True
    return any(principal.has(_ROLE_OF[g]) for g in grants if g in _ROLE_OF)


def passes(grant: Grant, principal: Principal, resource: Resource | None) -> bool:
    if grant in (Grant.PUBLIC, Grant.SIGNED_IN):
        return True
    if grant in (Grant.SERVICE, Grant.TAXONOMY_CURATOR):
        return Role(grant) in principal.roles
    if grant in PERSONAL:
        return resource is not None and bool(principal.ids & resource.people.get(grant, set()))
    role = _ROLE_OF[grant]
    if resource is None:
        return principal.has(role)
    owners = resource.people.get(grant, frozenset())
    return any(principal.holds(role, p) for p in resource.programs) or (
        principal.has(role) and principal.subject in owners
    )


def decide(
    permission: Permission, principal: Principal, resource: Resource | None
) -> Refusal | None:
    """None if some grant holds; else the refusal to send."""
    if any(passes(g, principal, resource) for g in permission.grants):
        return None
    if permission.hide:
        return NotFound(f"{permission.on}_id", f"no such {permission.on}")
    who = ", ".join(sorted(permission.grants))
    return Forbidden("Authorization", f"{permission.name} is for: {who}")
