"""`mentornet notifier dead-letters` asks the notifier's GET /deliveries/dead with a
service token and prints one line per dead delivery (kind, recipient, channel,
attempts, reason); a notifier it cannot reach or that refuses is one line on stderr
and exit 1, no traceback."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from mentornet_chassis.http.auth import DEV_KEY, Role, TokenVerifier
from mentornet_chassis.http.authsettings import AuthSettings
from mentornet_tooling import cli
from mentornet_tooling.devstack import DevConfig
from mentornet_tooling.operator.notifier import local_url, notifier_command

pytestmark = pytest.mark.unit

DEAD = {
    "dead": [
        {
            "delivery_id": "nd-1",
            "participant_id": "p-ann",
            "source_event_id": "ev-1",
            "kind": "session_reminder",
            "channel": "webhook",
            "attempts": 1,
            "reason": "webhook answered 410 Gone",
            "program_id": "prog-1",
            "match_id": "m-1",
            "case_id": None,
        },
        {
            "delivery_id": "nd-2",
            "participant_id": "p-bob",
            "source_event_id": "ev-2",
            "kind": "stall_nudge",
            "channel": "email",
            "attempts": 6,
            "reason": "template failed:\nundefined 'when'",
            "program_id": None,
            "match_id": None,
            "case_id": None,
        },
    ]
}


def run(handler: httpx.MockTransport, *argv: str) -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    code = notifier_command(
        ["dead-letters", "--url", "http://notifier.test", *argv],
        transport=handler,
        out=out,
        err=err,
    )
    return code, out.getvalue().splitlines(), err.getvalue()


async def test_each_dead_delivery_is_one_line_asked_for_with_a_service_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AUTH_HS256_KEY", raising=False)
    asked: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200, json=DEAD)

    code, lines, err = run(httpx.MockTransport(answer))
    assert (code, err) == (0, "")
    assert [line.split()[:4] for line in lines] == [
        ["session_reminder", "p-ann", "webhook", "1"],
        ["stall_nudge", "p-bob", "email", "6"],
    ]
    assert lines[0].endswith("webhook answered 410 Gone")
    assert lines[1].endswith("template failed: undefined 'when'")
    [request] = asked
    assert (request.method, str(request.url)) == ("GET", "http://notifier.test/deliveries/dead")
    bearer = request.headers["Authorization"].removeprefix("Bearer ")
    verifier = TokenVerifier(AuthSettings(hs256_key=DEV_KEY), production=False)
    assert (await verifier.verify(bearer)).roles == {Role.SERVICE}


def test_no_dead_letters_says_so_and_succeeds() -> None:
    code, lines, _ = run(httpx.MockTransport(lambda _: httpx.Response(200, json={"dead": []})))
    assert (code, lines) == (0, ["no dead-lettered deliveries"])


def test_an_unreachable_notifier_is_one_line_and_exit_1() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused", request=request)

    code, lines, err = run(httpx.MockTransport(refuse))
    assert (code, lines) == (1, [])
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "http://notifier.test" in err
    assert "cannot reach" in err


def test_a_refusal_names_the_status_and_exits_1() -> None:
    code, lines, err = run(httpx.MockTransport(lambda _: httpx.Response(403, json={})))
    assert (code, lines) == (1, [])
    assert err.strip().endswith("it answered 403")


def test_the_local_notifier_is_where_the_dev_port_offset_puts_it() -> None:
    assert local_url(DevConfig(http_port_offset=0)) == "http://127.0.0.1:8106"
    assert local_url(DevConfig(http_port_offset=1000)) == "http://127.0.0.1:9106"


def test_mentornet_notifier_dead_letters_with_nothing_listening_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default (local) notifier pointed at a port nothing listens on (discard, 9)."""
    monkeypatch.setattr(
        "mentornet_tooling.operator.notifier.local_url", lambda: "http://127.0.0.1:9"
    )
    assert cli.main(["notifier", "dead-letters", "--timeout", "2"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("mentornet notifier dead-letters: http://127.0.0.1:9: ")
    assert captured.err.count("\n") == 1


def test_json_prints_each_dead_delivery_as_one_object_and_nothing_when_none() -> None:
    code, lines, _ = run(httpx.MockTransport(lambda _: httpx.Response(200, json=DEAD)), "--json")
    assert code == 0
    assert [json.loads(found) for found in lines] == DEAD["dead"]
    empty = httpx.MockTransport(lambda _: httpx.Response(200, json={"dead": []}))
    assert run(empty, "--json")[:2] == (0, [])
