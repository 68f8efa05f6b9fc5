"""Bearer JWTs: who the caller is (401 otherwise) and what they may do (403 otherwise)."""

from __future__ import annotations

import httpx
import jwt
import pytest
from fastapi import Depends
from mentornet_chassis.errors import Refusal
from mentornet_chassis.http.app import create_http_app
from mentornet_chassis.http.auth import DEV_KEY, Principal, Role, TokenVerifier, mint
from mentornet_chassis.http.authsettings import AuthSettings
from mentornet_chassis.http.guard import Guard, caller, guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.process.metrics import Metrics
from pydantic import BaseModel, Field, SecretStr

pytestmark = pytest.mark.unit


async def always_ready() -> dict[str, bool]:
    return {}


def app_with_routes(verifier: TokenVerifier) -> httpx.AsyncClient:
    router = guarded_router()

    @router.get("/me", **allow("me.read", Grant.SIGNED_IN))
    async def me(principal: Principal = Depends(caller)) -> dict[str, object]:
        return {"sub": principal.subject, "roles": sorted(principal.roles)}

    @router.post("/programs", **allow("programs.create", Grant.COORDINATOR))
    async def create(principal: Principal = Depends(caller)) -> dict[str, str]:
        return {"ok": principal.subject}

    @router.post("/named", **allow("named.create", Grant.COORDINATOR))
    async def named(body: Named, principal: Principal = Depends(caller)) -> dict[str, str]:
        return {"name": body.name}

    app = create_http_app(
        "test", Metrics("test"), always_ready, [router], guard=Guard(verifier, {})
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


class Named(BaseModel):
    name: str = Field(max_length=10)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def verifier() -> TokenVerifier:
    return TokenVerifier(AuthSettings(), production=False)


async def test_valid_token_names_the_caller(verifier: TokenVerifier) -> None:
    async with app_with_routes(verifier) as http:
        response = await http.get("/me", headers=bearer(mint(DEV_KEY, "p-1", ["mentee"])))
    assert response.status_code == 200
    assert response.json() == {"sub": "p-1", "roles": ["mentee"]}


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "send a bearer token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "send a bearer token"),
        (bearer("not.a.jwt"), "invalid token"),
        (bearer(mint("another-key-that-is-long-enough-32b", "p-1", ["mentee"])), "invalid token"),
        (bearer(mint(DEV_KEY, "p-1", ["mentee"], ttl_s=-120)), "token expired"),
        (bearer(mint(DEV_KEY, "p-1", ["wizard"])), "unknown role"),
    ],
)
async def test_bad_credentials_get_401_with_a_json_reason(
    verifier: TokenVerifier, headers: dict[str, str], reason: str
) -> None:
    async with app_with_routes(verifier) as http:
        response = await http.get("/me", headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "unauthorized"
    assert body["field"] == "Authorization"
    assert reason in body["reason"]


async def test_wrong_role_gets_403(verifier: TokenVerifier) -> None:
    async with app_with_routes(verifier) as http:
        mentor = await http.post("/programs", headers=bearer(mint(DEV_KEY, "m", ["mentor"])))
        coordinator = await http.post(
            "/programs", headers=bearer(mint(DEV_KEY, "c", ["coordinator"]))
        )
    assert mentor.status_code == 403
    assert mentor.json()["error"] == "forbidden"
    assert coordinator.status_code == 200


async def test_configured_key_replaces_the_development_key() -> None:
    verifier = TokenVerifier(AuthSettings(hs256_key=SecretStr("k" * 32)), production=True)
    assert (await verifier.verify(mint("k" * 32, "s", ["service"]))).roles == {Role.SERVICE}
    with pytest.raises(Exception, match="invalid token"):
        await verifier.verify(mint(DEV_KEY, "s", ["service"]))


def test_production_without_a_key_or_jwks_is_refused() -> None:
    with pytest.raises(ValueError, match="AUTH_JWKS_URL"):
        TokenVerifier(AuthSettings(), production=True)


def test_coordinator_runs_only_their_programs() -> None:
    claims = jwt.decode(
        mint(DEV_KEY, "c", ["coordinator"], programs=["prog-1"]), DEV_KEY, algorithms=["HS256"]
    )
    principal = Principal("c", frozenset({Role.COORDINATOR}), frozenset(claims["programs"]))
    assert principal.runs("prog-1")
    assert not principal.runs("prog-2")


def test_cli_mints_a_token_the_verifier_accepts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentornet_tooling.cli import main

    monkeypatch.delenv("AUTH_HS256_KEY", raising=False)
    assert main(["token", "--sub", "c-1", "--role", "coordinator", "--program", "prog-1"]) == 0
    issued = capsys.readouterr().out.strip()
    claims = jwt.decode(issued, DEV_KEY, algorithms=["HS256"])
    assert claims["sub"] == "c-1"
    assert claims["roles"] == ["coordinator"]
    assert claims["programs"] == ["prog-1"]


def test_production_with_jwks_needs_issuer_and_audience() -> None:
    jwks = "https://idp.example.org/.well-known/jwks.json"
    for issuer, audience in ((None, None), ("https://idp.example.org", None), (None, "mn")):
        partial = AuthSettings(jwks_url=jwks, issuer=issuer, audience=audience)
        with pytest.raises(ValueError, match="AUTH_ISSUER and AUTH_AUDIENCE"):
            TokenVerifier(partial, production=True)
    TokenVerifier(
        AuthSettings(jwks_url=jwks, issuer="https://idp.example.org", audience="mentornet"),
        production=True,
    )


async def test_wrong_issuer_or_audience_gets_401() -> None:
    settings = AuthSettings(issuer="https://idp.example.org", audience="mentornet")
    verifier = TokenVerifier(settings, production=False)
    right = mint(DEV_KEY, "p", [], issuer="https://idp.example.org", audience="mentornet")
    assert (await verifier.verify(right)).subject == "p"
    for wrong in (
        mint(DEV_KEY, "p", [], issuer="https://evil.example.org", audience="mentornet"),
        mint(DEV_KEY, "p", [], issuer="https://idp.example.org", audience="another-app"),
        mint(DEV_KEY, "p", [], issuer="https://idp.example.org"),
    ):
        with pytest.raises(Refusal) as refused:
            await verifier.verify(wrong)
        assert refused.value.status == 401


async def test_program_roles_scope_each_role_to_its_own_programs(
    verifier: TokenVerifier,
) -> None:
    token = mint(
        DEV_KEY, "x", [], program_roles={"prog-a": ["coordinator"], "prog-b": ["reviewer"]}
    )
    principal = await verifier.verify(token)
    assert principal.runs("prog-a")
    assert not principal.runs("prog-b")
    assert principal.reviews("prog-b")
    assert not principal.reviews("prog-a")
    assert principal.scope(Role.COORDINATOR) == {"prog-a"}


async def test_a_reviewers_programs_do_not_make_them_a_coordinator(
    verifier: TokenVerifier,
) -> None:
    principal = await verifier.verify(mint(DEV_KEY, "r", ["reviewer"], programs=["prog-a"]))
    assert principal.reviews("prog-a")
    assert not principal.runs("prog-a")


async def test_a_sponsor_holds_only_in_the_programs_the_token_names(
    verifier: TokenVerifier,
) -> None:
    both = await verifier.verify(mint(DEV_KEY, "s", ["sponsor"], programs=["prog-a"]))
    assert both.holds(Role.SPONSOR, "prog-a")
    assert not both.holds(Role.SPONSOR, "prog-b")
    assert not both.runs("prog-a")
    assert not both.reviews("prog-a")
    named = await verifier.verify(mint(DEV_KEY, "s", [], program_roles={"prog-b": ["sponsor"]}))
    assert named.scope(Role.SPONSOR) == {"prog-b"}
    assert not named.holds(Role.SPONSOR, "prog-a")


async def test_program_roles_accept_only_scoped_roles(verifier: TokenVerifier) -> None:
    with pytest.raises(Refusal, match="not a scoped role"):
        await verifier.verify(mint(DEV_KEY, "x", [], program_roles={"prog-a": ["service"]}))


async def test_the_token_and_role_are_checked_before_the_body_is_read(
    verifier: TokenVerifier,
) -> None:
    coordinator = bearer(mint(DEV_KEY, "c", ["coordinator"]))
    mentee = bearer(mint(DEV_KEY, "m", ["mentee"]))
    async with app_with_routes(verifier) as http:
        for body in ({"name": "x" * 11}, {"wrong": 1}):
            assert (await http.post("/named", json=body)).status_code == 401
            assert (await http.post("/named", json=body, headers=mentee)).status_code == 403
            assert (await http.post("/named", json=body, headers=coordinator)).status_code == 422
        not_json = await http.post("/named", content=b"{not json", headers=mentee)
        assert not_json.status_code == 403
        ok = await http.post("/named", json={"name": "x"}, headers=coordinator)
    assert ok.json() == {"name": "x"}


def test_an_app_with_a_route_that_declares_no_permission_is_refused() -> None:
    from fastapi import APIRouter
    from mentornet_chassis.http.guard import UndeclaredPermission

    bare = APIRouter()

    @bare.get("/open")
    async def open_route() -> dict[str, str]:
        return {}

    with pytest.raises(UndeclaredPermission, match="/open"):
        create_http_app("test", Metrics("test"), always_ready, [bare])
    guarded = guarded_router()
    with pytest.raises(UndeclaredPermission, match="declares no permission"):

        @guarded.get("/undeclared")
        async def undeclared() -> dict[str, str]:
            return {}
