"""The `mentornet` command: contracts, the dev stack, the demo, operator commands, API
documents and tokens; `serve` and `topics` are the production command's
(mentornet_chassis.process.main)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from mentornet_chassis.http.auth import Role
from mentornet_chassis.process.main import add_commands
from mentornet_contracts import SERVICES
from mentornet_contracts.cli_parser import OneLineParser

from mentornet_tooling import devstack
from mentornet_tooling.embedded import PortInUseError

QUICK_WEEKS, QUICK_SCALE = 3, 0.25
"""`make run`'s demo: every stage shown in under two minutes with the stack's start."""
FULL_WEEKS, FULL_SCALE = 5, 1.0


def demo_size(args: argparse.Namespace) -> tuple[int, float]:
    """Weeks and head count factor: the quick run's, `--full`'s, or what was given."""
    weeks, scale = (FULL_WEEKS, FULL_SCALE) if args.full else (QUICK_WEEKS, QUICK_SCALE)
    return args.weeks or weeks, scale if args.scale is None else args.scale


def _demo(args: argparse.Namespace) -> int:
    from .demo.run import demo

    weeks, scale = demo_size(args)
    return demo(weeks=weeks, seed=args.seed, scale=scale)


def _dev(args: argparse.Namespace) -> int:
    cfg = devstack.DevConfig()
    if args.action == "up":
        if args.fresh:
            print(devstack.forget_data(cfg))
        try:
            devstack.up(cfg)
        except PortInUseError as exc:
            print(f"mentornet dev up: {exc}", file=sys.stderr)
            devstack.down(cfg)
            return 2
        health = devstack.wait_healthy(cfg)
        _print_status(health, cfg)
        if not all(h == "healthy" for h in health.values()):
            print(f"not everything is healthy; see {cfg.root / 'logs'}", file=sys.stderr)
            return 1
        _print_where_to_look(cfg)
        return 0
    if args.action == "down":
        stopped = devstack.down(cfg)
        print("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
        return 0
    if args.action == "status":
        health = devstack.status(cfg)
        work = devstack.work_health(cfg)
        if args.as_json:
            for name, state in health.items():
                record = {"name": name, "state": state, "address": _address(name, cfg)}
                print(json.dumps(record | ({"work": work[name]} if name in work else {})))
        else:
            _print_status(health, cfg)
            _print_work(work)
        moving = all(w.get("status") == "ok" for w in work.values())
        return 0 if health and moving and all(h == "healthy" for h in health.values()) else 1
    if args.action == "restart":
        return _restart(cfg, args.name)
    log = cfg.log_file(args.name or "intake")
    print(log.read_text() if log.exists() else f"no log at {log}")
    return 0


def _restart(cfg: devstack.DevConfig, name: str | None) -> int:
    if name is None:
        print("mentornet dev restart: name the process to restart", file=sys.stderr)
        return 2
    try:
        devstack.restart(cfg, name)
    except (LookupError, ValueError, PortInUseError) as exc:
        print(f"mentornet dev restart: {exc}", file=sys.stderr)
        return 2
    health = devstack.wait_healthy(cfg, names={name})
    _print_status(health, cfg)
    return 0 if health.get(name) == "healthy" else 1


def _print_status(health: dict[str, str], cfg: devstack.DevConfig) -> None:
    if not health:
        print("nothing is running (start it with `make run`)")
    for name, state in health.items():
        print(f"{name:<10} {state:<10} {_address(name, cfg)}")


def _address(name: str, cfg: devstack.DevConfig) -> str:
    if name in devstack.HTTP_PORTS:
        return f"127.0.0.1:{cfg.http_port(name)}"
    ports = {"kafka": cfg.kafka_port, "mongodb": cfg.mongo_port, "mailsink": cfg.smtp_port}
    return f"127.0.0.1:{ports[name]}"


def _print_work(work: dict[str, dict[str, Any]]) -> None:
    """Each service's outbox and partitions (its /healthz), and what is stuck."""
    if work:
        print()
    for name, report in work.items():
        relay, parts = report.get("relay", {}), report.get("partitions", [])
        lag = sum(p.get("lag") or 0 for p in parts)
        print(
            f"{name:<10} {report.get('status', '?'):<8} outbox {relay.get('pending', 0)} unsent "
            f"(oldest {relay.get('oldest_unsent_s', 0):.0f} s), {relay.get('poisoned', 0)} "
            f"poisoned; {len(parts)} partitions, lag {lag}"
        )
        for problem in report.get("problems", []):
            print(f"           ! {problem}")


def _print_where_to_look(cfg: devstack.DevConfig) -> None:
    print("\nMentorNet is running.")
    for service in SERVICES:
        print(f"  {service:<10} http://127.0.0.1:{cfg.http_port(service)}/docs")
    print(f"  logs       {cfg.root / 'logs'}/<service>.log")
    print('  events     README.md, section "Watching events"')
    print("  stop       make stop")


def _contracts(args: argparse.Namespace) -> int:
    from mentornet_contracts.cli import run

    return run(list(args.rest))


def _intake(args: argparse.Namespace) -> int:
    from mentornet_tooling.intake_import import run

    return int(run(list(args.rest)))


def _events(args: argparse.Namespace) -> int:
    from .operator.commands import events

    return events(list(args.rest))


def _dlq(args: argparse.Namespace) -> int:
    from .operator.commands import dead_letters

    return dead_letters(list(args.rest))


def _outbox(args: argparse.Namespace) -> int:
    from .operator.outbox_commands import outbox_command

    return outbox_command(list(args.rest))


def _notifier(args: argparse.Namespace) -> int:
    from .operator.notifier import notifier_command

    return notifier_command(list(args.rest))


def _api(args: argparse.Namespace) -> int:
    from .apidocs import write_all

    for path in write_all(Path(args.docs)):
        print(f"wrote {path}")
    return 0


def _token(args: argparse.Namespace) -> int:
    import os

    from mentornet_chassis.http.auth import DEV_KEY, mint

    key = os.environ.get("AUTH_HS256_KEY", DEV_KEY)
    print(mint(key, args.sub, args.role, programs=args.program, ttl_s=args.ttl))
    return 0


def version() -> str:
    """The installed release (every MentorNet package shares one version)."""
    return metadata.version("mentornet-tooling")


def parser() -> argparse.ArgumentParser:
    root = OneLineParser(prog="mentornet", description=__doc__)
    root.add_argument("--version", action="version", version=f"mentornet {version()}")
    commands = root.add_subparsers(dest="command", required=True)
    contracts = commands.add_parser(
        "contracts", help="check compatibility, write docs", add_help=False
    )
    contracts.add_argument("rest", nargs=argparse.REMAINDER)
    contracts.set_defaults(func=_contracts)
    intake = commands.add_parser(
        "intake", help="intake tasks: import FILE (bulk onboarding)", add_help=False
    )
    intake.add_argument("rest", nargs=argparse.REMAINDER)
    intake.set_defaults(func=_intake)
    for name, summary, run in (
        ("events", "watch events: tail, trace CORRELATION_ID (nothing committed)", _events),
        ("dlq", "dead letters: list, show SERVICE OFFSET, replay SERVICE OFFSET|--all", _dlq),
        ("outbox", "unpublished records: list, show|retry|discard SERVICE AGGREGATE", _outbox),
        ("notifier", "the notifier: dead-letters (deliveries it will not retry)", _notifier),
    ):
        operator = commands.add_parser(name, help=summary, add_help=False)
        operator.add_argument("rest", nargs=argparse.REMAINDER)
        operator.set_defaults(func=run)
    add_commands(commands)
    api = commands.add_parser("api", help="write each service's OpenAPI document")
    api.add_argument("action", choices=["docs"])
    api.add_argument("--docs", default="docs", help="docs folder (default: docs)")
    api.set_defaults(func=_api)
    token = commands.add_parser("token", help="mint a local HS256 bearer token")
    token.add_argument("--sub", required=True, help="subject: a participant, coordinator...")
    token.add_argument(
        "--role",
        action="append",
        required=True,
        choices=[str(r) for r in Role],
    )
    token.add_argument(
        "--program", action="append", help="programs a coordinator, reviewer or sponsor has"
    )
    token.add_argument("--ttl", type=int, default=8 * 3600, help="seconds (default 8 h)")
    token.set_defaults(func=_token)
    demo = commands.add_parser("demo", help="run a mentor network through simulated weeks")
    demo.add_argument(
        "--full",
        action="store_true",
        help=f"the full-length run: {FULL_WEEKS} weeks at full head count (about 8 minutes)",
    )
    demo.add_argument("--weeks", type=int, help=f"weeks to simulate (default {QUICK_WEEKS})")
    demo.add_argument("--seed", type=int, default=7, help="the network's random seed")
    demo.add_argument(
        "--scale", type=float, help=f"head count factor (default {QUICK_SCALE}; 1: 250 people)"
    )
    demo.set_defaults(func=_demo)
    dev = commands.add_parser("dev", help="the embedded local stack")
    dev.add_argument("action", choices=["up", "down", "status", "logs", "restart"])
    dev.add_argument("name", nargs="?", help="for logs (default intake) and restart: which process")
    dev.add_argument(
        "--json", action="store_true", dest="as_json", help="status: one JSON object per process"
    )
    dev.add_argument(
        "--fresh",
        action="store_true",
        help="up: start from an empty store, mail sink and simulated clock",
    )
    dev.set_defaults(func=_dev)
    return root


PASS_THROUGH = ("contracts", "intake", "events", "dlq", "outbox", "notifier")


def main(argv: Sequence[str] | None = None) -> int:
    """Sub-tools with their own parsers get every argument, `-h` included."""
    args, unknown = parser().parse_known_args(argv)
    if unknown and args.command not in PASS_THROUGH:
        parser().error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command in PASS_THROUGH:
        args.rest = [*unknown, *args.rest]
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
