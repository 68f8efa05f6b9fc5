"""The dashboards' signed links: a program link opens its program's dashboard until it
expires, a network link exactly the scope it was made for; a scope is `all` or a
bounded set of program ids."""

from __future__ import annotations

import pytest
from mentornet_chassis.errors import Forbidden, Invalid
from mentornet_qa.usecases.dashboards import DashboardLinks, programs_of, scope_of

pytestmark = pytest.mark.unit


def test_a_scope_is_all_or_the_sorted_programs_and_reads_back() -> None:
    assert (scope_of(None), programs_of("all")) == ("all", None)
    assert scope_of(frozenset({"b", "a"})) == "a,b"
    assert programs_of(scope_of(frozenset({"b", "a"}))) == frozenset({"a", "b"})


def test_an_empty_scope_is_forbidden_and_an_unreadable_or_huge_one_invalid() -> None:
    with pytest.raises(Forbidden):
        scope_of(frozenset())
    for scope in ("", ",,", ",".join(f"p{i}" for i in range(201))):
        with pytest.raises(Invalid) as refused:
            programs_of(scope)
        assert refused.value.field == "scope"
    assert len(programs_of(",".join(f"p{i}" for i in range(200))) or ()) == 200


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def query(url: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))


def test_a_program_link_opens_its_dashboard_until_it_expires_and_not_with_another_key() -> None:
    clock = Clock()
    links = DashboardLinks(b"k" * 32, "https://qa.example/", 2, clock)
    link = links.program("p1")
    assert link.url.startswith("https://qa.example/programs/p1/dashboard?expires=")
    signed = query(link.url)
    assert int(signed["expires"]) == link.expires == 1_800_007_200
    links.check_program("p1", link.expires, signed["key"])
    changed = signed["key"][:-1] + ("0" if signed["key"][-1] != "0" else "1")
    for program, key in (("p1", changed), ("p2", signed["key"])):
        with pytest.raises(Forbidden) as refused:
            links.check_program(program, link.expires, key)
        assert refused.value.field == "key"
    clock.now = link.expires + 1
    with pytest.raises(Forbidden):
        links.check_program("p1", link.expires, signed["key"])


def test_a_network_link_opens_exactly_its_scope() -> None:
    links = DashboardLinks(b"k" * 32, "https://qa.example", 2, Clock())
    link = links.network("a,b")
    signed = query(link.url)
    assert link.url.startswith("https://qa.example/network/dashboard?scope=a%2Cb&expires=")
    links.check_network("a,b", link.expires, signed["key"])
    for scope in ("a", "all", "a,b,c"):
        with pytest.raises(Forbidden) as refused:
            links.check_network(scope, link.expires, signed["key"])
        assert refused.value.field == "key"
    with pytest.raises(Forbidden):  # a network key opens no program called "network"
        links.check_program("network", link.expires, signed["key"])
