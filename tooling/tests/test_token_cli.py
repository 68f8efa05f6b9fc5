"""`mentornet token` mints a local token for every role, a sponsor's scope included."""

from __future__ import annotations

import pytest
from mentornet_chassis.http.auth import DEV_KEY, Role, TokenVerifier
from mentornet_chassis.http.authsettings import AuthSettings
from mentornet_tooling.cli import main

pytestmark = pytest.mark.unit


async def test_a_sponsor_token_holds_in_the_programs_it_names(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUTH_HS256_KEY", raising=False)
    assert main(["token", "--sub", "exec-1", "--role", "sponsor", "--program", "prog-a"]) == 0
    issued = capsys.readouterr().out.strip()
    verifier = TokenVerifier(AuthSettings(hs256_key=DEV_KEY), production=False)
    principal = await verifier.verify(issued)
    assert principal.roles == {Role.SPONSOR}
    assert principal.scope(Role.SPONSOR) == {"prog-a"}
    assert not principal.runs("prog-a")


def test_the_token_command_refuses_a_role_that_does_not_exist() -> None:
    with pytest.raises(SystemExit):
        main(["token", "--sub", "x", "--role", "executive"])
