"""`mentornet notifier dead-letters`: the deliveries the notifier will not retry, with
why, read from its HTTP API (GET /deliveries/dead) with a service token minted like
`mentornet token` does (AUTH_HS256_KEY, else the local key). The local stack's notifier
by default (its port moved by MENTORNET_DEV_HTTP_PORT_OFFSET), or `--url`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

import httpx
from mentornet_chassis.http.auth import DEV_KEY, mint
from mentornet_contracts.cli_parser import OneLineParser

from mentornet_tooling.devstack import DevConfig

SUBJECT = "mentornet-operator"
TOKEN_TTL_S = 300
DEAD_PATH = "/deliveries/dead"


def notifier_parser() -> argparse.ArgumentParser:
    root = OneLineParser(
        prog="mentornet notifier", description="The notifier's deliveries, as operators see them."
    )
    sub = root.add_subparsers(dest="action", required=True)
    dead = sub.add_parser(
        "dead-letters",
        help="deliveries that will not be retried: kind, recipient, channel, attempts, reason",
        description="Deliveries that will not be retried, one line each.",
    )
    dead.add_argument(
        "--url",
        help="the notifier's base URL (default: the local stack's, "
        "127.0.0.1:8106 moved by MENTORNET_DEV_HTTP_PORT_OFFSET)",
    )
    dead.add_argument(
        "--timeout", type=float, default=10.0, help="longest wait, seconds (default 10)"
    )
    dead.add_argument(
        "--json", action="store_true", dest="as_json", help="one JSON object per line, as stored"
    )
    return root


def local_url(cfg: DevConfig | None = None) -> str:
    """The local stack's notifier, where `mentornet dev up` started it."""
    return f"http://127.0.0.1:{(cfg or DevConfig()).http_port('notifier')}"


def service_token() -> str:
    key = os.environ.get("AUTH_HS256_KEY", DEV_KEY)
    return mint(key, SUBJECT, ["service"], ttl_s=TOKEN_TTL_S)


def line(entry: dict[str, Any]) -> str:
    """One dead delivery: kind, recipient, channel, attempts, reason (on one line)."""
    reason = " ".join(str(entry.get("reason") or "-").split())
    return (
        f"{entry.get('kind', '?'):<20} {entry.get('participant_id', '?'):<24} "
        f"{entry.get('channel', '?'):<8} {entry.get('attempts', 0):>3} attempts  {reason}"
    )


def dead_letters(client: httpx.Client) -> list[dict[str, Any]]:
    """The notifier's answer; httpx.HTTPError if it cannot be reached or refuses."""
    answer = client.get(DEAD_PATH, headers={"Authorization": f"Bearer {service_token()}"})
    answer.raise_for_status()
    dead: list[dict[str, Any]] = answer.json()["dead"]
    return dead


def _why(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.HTTPStatusError):
        return f"it answered {exc.response.status_code}"
    return f"cannot reach it ({type(exc).__name__}{': ' + str(exc) if str(exc) else ''})"


def notifier_command(
    argv: Sequence[str],
    *,
    transport: httpx.BaseTransport | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """`transport`: how to reach the notifier (tests pass an httpx.MockTransport)."""
    args = notifier_parser().parse_args(argv)
    out, err = out or sys.stdout, err or sys.stderr
    url = args.url or local_url()
    try:
        with httpx.Client(base_url=url, timeout=args.timeout, transport=transport) as client:
            dead = dead_letters(client)
    except httpx.HTTPError as exc:
        print(f"mentornet notifier dead-letters: {url}: {_why(exc)}", file=err)
        return 1
    except (ValueError, KeyError, TypeError):
        print(f"mentornet notifier dead-letters: {url}: not a notifier's answer", file=err)
        return 1
    for entry in dead:
        print(json.dumps(entry, sort_keys=True) if args.as_json else line(entry), file=out)
    if not dead and not args.as_json:
        print("no dead-lettered deliveries", file=out)
    return 0
