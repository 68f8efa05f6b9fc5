"""Bearer JWTs: who the caller is (401 otherwise) and what they may do (403 otherwise)."""

from __future__ import annotations

import httpx
import jwt
import pytest
from fastapi import APIRouter, Depends
from mentornet_chassis.auth import (
    DEV_KEY,
    Principal,
    Role,
    TokenVerifier,
    authenticator,
    mint,
    requiring,
)
from mentornet_chassis.authsettings import AuthSettings
from mentornet_chassis.http import create_http_app
from mentornet_chassis.metrics import Metrics
from pydantic import SecretStr

pytestmark = pytest.mark.unit


async def always_ready() -> dict[str, bool]:
    return {}


def app_with_routes(verifier: TokenVerifier) -> httpx.AsyncClient:
    current = authenticator(verifier)
    router = APIRouter()

    @router.get("/me")
    async def me(principal: Principal = Depends(current)) -> dict[str, object]:
        return {"sub": principal.subject, "roles": sorted(principal.roles)}

    @router.post("/programs")
    async def create(
        principal: Principal = requiring(current, Role.COORDINATOR),
    ) -> dict[str, str]:
        return {"ok": principal.subject}

    app = create_http_app("test", Metrics("test"), always_ready, [router])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


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
    from mentornet_chassis.cli import main

    monkeypatch.delenv("AUTH_HS256_KEY", raising=False)
    assert main(["token", "--sub", "c-1", "--role", "coordinator", "--program", "prog-1"]) == 0
    issued = capsys.readouterr().out.strip()
    claims = jwt.decode(issued, DEV_KEY, algorithms=["HS256"])
    assert claims["sub"] == "c-1"
    assert claims["roles"] == ["coordinator"]
    assert claims["programs"] == ["prog-1"]
