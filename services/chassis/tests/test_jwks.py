"""Production verification: RS256 tokens checked against a JWKS served over HTTP."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from mentornet_chassis.errors import Refusal
from mentornet_chassis.http.auth import Role, TokenVerifier
from mentornet_chassis.http.authsettings import AuthSettings

pytestmark = pytest.mark.unit

ISSUER = "https://login.example.org/"
AUDIENCE = "mentornet"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def provider_key() -> rsa.RSAPrivateKey:
    return new_key()


@pytest.fixture(scope="module")
def jwks_url(provider_key: rsa.RSAPrivateKey) -> Iterator[str]:
    """A local OIDC provider's key set endpoint, served over a real socket."""
    public = json.loads(RSAAlgorithm.to_jwk(provider_key.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "key-1", "use": "sig", "alg": "RS256"}]})

    class KeySet(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), KeySet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    server.shutdown()


def signed(key: rsa.RSAPrivateKey, kid: str = "key-1", **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "sub": "coord-7",
        "roles": ["coordinator"],
        "programs": ["prog-1"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 300,
        **claims,
    }
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def verifier(jwks_url: str) -> TokenVerifier:
    settings = AuthSettings(jwks_url=jwks_url, issuer=ISSUER, audience=AUDIENCE)
    return TokenVerifier(settings, production=True)


async def test_a_token_signed_by_the_provider_is_accepted(
    verifier: TokenVerifier, provider_key: rsa.RSAPrivateKey
) -> None:
    principal = await verifier.verify(signed(provider_key))
    assert principal.subject == "coord-7"
    assert principal.roles == {Role.COORDINATOR}
    assert principal.runs("prog-1")


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("foreign key", "invalid token: Signature verification failed"),
        ("unknown kid", "invalid token: Unable to find a signing key"),
        ("wrong audience", "invalid token: Audience doesn't match"),
        ("wrong issuer", "invalid token: Invalid issuer"),
        ("expired", "token expired"),
        ("hs256 with the dev key", "invalid token"),
    ],
)
async def test_anything_else_is_401_with_the_reason(
    verifier: TokenVerifier, provider_key: rsa.RSAPrivateKey, case: str, reason: str
) -> None:
    token = {
        "foreign key": lambda: signed(new_key()),
        "unknown kid": lambda: signed(provider_key, kid="key-2"),
        "wrong audience": lambda: signed(provider_key, aud="another-app"),
        "wrong issuer": lambda: signed(provider_key, iss="https://evil.example.org/"),
        "expired": lambda: signed(provider_key, exp=int(time.time()) - 3600),
        "hs256 with the dev key": lambda: jwt.encode(
            {"sub": "x", "exp": int(time.time()) + 60}, "k" * 40, algorithm="HS256"
        ),
    }[case]()
    with pytest.raises(Refusal) as refused:
        await verifier.verify(token)
    assert refused.value.status == 401
    assert refused.value.reason.startswith(reason), refused.value.reason
