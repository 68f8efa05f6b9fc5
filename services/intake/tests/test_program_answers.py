"""What GET /programs/{id} answers is the stored program as its answer model sees it,
not as the request model would check it: a stored key the request model forbids is
left out, never blamed on the caller. Without a broker or database."""

from __future__ import annotations

from typing import Any, cast

import httpx
import pytest
from mentornet_chassis.http.app import create_http_app
from mentornet_chassis.http.auth import DEV_KEY, TokenVerifier, mint
from mentornet_chassis.http.authsettings import AuthSettings
from mentornet_chassis.http.guard import Guard
from mentornet_chassis.process.metrics import Metrics
from mentornet_intake.api import access, programs
from mentornet_intake.domain.programs import ProgramSpec, ProgramState, draft
from mentornet_intake.usecases.programs import ProgramDesk
from pydantic import SecretStr

pytestmark = pytest.mark.unit

SPEC = {
    "name": "Platform mentoring",
    "tier": "standard",
    "duration_weeks": 12,
    "cadence": {"sessions_per_month": 2, "session_minutes": 45},
}


class OneProgram:
    """A program store holding one program, as stored."""

    def __init__(self, state: ProgramState) -> None:
        self.state = state

    async def get(self, program_id: str) -> ProgramState | None:
        return self.state if program_id == self.state["program_id"] else None


async def _ready() -> dict[str, bool]:
    return {}


def _client(store: OneProgram) -> httpx.AsyncClient:
    unused = cast(Any, None)
    auth = AuthSettings(hs256_key=SecretStr(DEV_KEY), jwks_url=None, issuer=None, audience=None)
    guard = Guard(
        TokenVerifier(auth, production=False), access.resolvers(unused, cast(Any, store), unused)
    )
    app = create_http_app(
        "intake",
        Metrics("intake"),
        _ready,
        [programs.router],
        guard=guard,
        provides=[ProgramDesk(cast(Any, store), lambda: None)],
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_a_stored_program_with_an_unknown_key_is_still_answered() -> None:
    state = draft(ProgramSpec.model_validate(SPEC), "prog-1", "c-1")
    stored: ProgramState = {**state, "spec": {**state["spec"], "retired_setting": True}}
    headers = {"Authorization": f"Bearer {mint(DEV_KEY, 'c-1', ['coordinator'])}"}
    async with _client(OneProgram(stored)) as client:
        answer = await client.get("/programs/prog-1", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "program_id": "prog-1",
        "status": "draft",
        "coordinators": ["c-1"],
        **state["spec"],
    }
