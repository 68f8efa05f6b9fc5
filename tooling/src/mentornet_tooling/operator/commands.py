"""Arguments of `mentornet events ...` and `mentornet dlq ...` (cli.py passes them through)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Coroutine, Sequence
from typing import Any

from aiokafka.errors import KafkaError
from mentornet_chassis.process.settings import (
    KafkaSettings,
    ServiceSettings,
    SettingsError,
    describe,
)
from mentornet_contracts.catalogue import REGISTRY, SERVICES
from mentornet_contracts.cli_parser import OneLineParser
from pydantic import ValidationError

from mentornet_tooling.operator import dlq, replay, tail, trace
from mentornet_tooling.operator.reading import NoSuchTopicError, event_topic_names, kafka_settings

KAFKA_HELP = (
    "default: KAFKA_BOOTSTRAP_SERVERS, else the local stack's broker (MENTORNET_DEV_KAFKA_PORT);"
    " TLS and SASL from the other KAFKA_* variables"
)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _command(
    sub: Any, name: str, help_text: str, *, timeout: bool = True, json: bool = True
) -> Any:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(parser=parser)
    parser.add_argument("--bootstrap-servers", help=KAFKA_HELP)
    if json:
        parser.add_argument("--json", action="store_true", dest="as_json", help="JSON output")
    if timeout:
        parser.add_argument(
            "--timeout", type=float, default=60.0, help="longest read, seconds (default 60)"
        )
    return parser


def events_parser() -> argparse.ArgumentParser:
    root = OneLineParser(
        prog="mentornet events", description="Read event topics without a consumer group."
    )
    sub = root.add_subparsers(dest="action", required=True)
    t = _command(sub, "tail", "follow event topics, filtered (nothing is committed)", timeout=False)
    t.add_argument(
        "--topic",
        action="append",
        choices=[topic.name for topic in REGISTRY.topics],
        metavar="TOPIC",
        help="repeatable (default: every event topic)",
    )
    t.add_argument(
        "--type",
        action="append",
        default=[],
        dest="types",
        metavar="TYPE",
        help="match.proposed (any version) or mentornet.match.proposed.v2",
    )
    t.add_argument("--subject", help="record key / ce_subject")
    t.add_argument("--correlation-id", help="ce_correlationid")
    t.add_argument("--from-beginning", action="store_true", help="else from the end, following")
    t.add_argument("--limit", type=_positive, help="stop after N matching records")
    t.add_argument("--timeout", type=float, help="stop after S seconds")
    tr = _command(sub, "trace", "one correlation id's events as a causation tree")
    tr.add_argument("correlation_id")
    return root


def dlq_parser() -> argparse.ArgumentParser:
    root = OneLineParser(prog="mentornet dlq", description="Dead-lettered records.")
    sub = root.add_subparsers(dest="action", required=True)
    services = sorted(SERVICES)
    listing = _command(sub, "list", "a table of the DLQ records and why they failed")
    listing.add_argument("--service", choices=services, help="default: every service")
    show = _command(sub, "show", "one DLQ record: every header and the payload")
    rep = _command(sub, "replay", "produce DLQ records again to their origin topic")
    for parser in (show, rep):
        parser.add_argument("service", choices=services)
        parser.add_argument("--partition", type=int, default=0, help="of the DLQ (default 0)")
    show.add_argument("offset", type=int)
    rep.add_argument("offset", type=int, nargs="?", help="the DLQ record (or --all)")
    rep.add_argument("--all", action="store_true", help="every record of the service's DLQ")
    rep.add_argument("--reason", action="append", default=[], help="with --all: only these")
    rep.add_argument("--dry-run", action="store_true", help="print what would be produced")
    return root


def _settings(args: argparse.Namespace) -> KafkaSettings:
    try:
        return kafka_settings(args.bootstrap_servers)
    except ValidationError as exc:
        raise SettingsError(f"mentornet: {describe(exc, ServiceSettings)}") from None


def _run(work: Coroutine[Any, Any, int], command: str) -> int:
    try:
        return asyncio.run(work)
    except KeyboardInterrupt:
        return 130
    except (NoSuchTopicError, TimeoutError, KafkaError) as exc:
        print(f"mentornet {command}: {exc or type(exc).__name__}", file=sys.stderr)
        return 1


def events(argv: Sequence[str]) -> int:
    args = events_parser().parse_args(argv)
    settings, out, err = _settings(args), sys.stdout, sys.stderr
    if args.action == "trace":
        work = trace.trace(
            settings,
            args.correlation_id,
            as_json=args.as_json,
            timeout_s=args.timeout,
            out=out,
            err=err,
        )
        return _run(work, "events trace")
    for wanted in tail.unknown_types(tuple(args.types)):
        print(f"mentornet events tail: no known event type matches {wanted!r}", file=err)
    options = tail.TailOptions(
        topics=tuple(args.topic or event_topic_names()),
        filter=tail.Filter(tuple(args.types), args.subject, args.correlation_id),
        from_beginning=args.from_beginning,
        as_json=args.as_json,
        limit=args.limit,
        timeout_s=args.timeout,
    )
    return _run(tail.tail(settings, options, out, err), "events tail")


def dead_letters(argv: Sequence[str]) -> int:
    args, extra = dlq_parser().parse_known_args(argv)
    if args.action == "replay" and args.offset is None and len(extra) == 1 and extra[0].isdigit():
        args.offset, extra = int(extra[0]), []  # argparse binds an optional positional early
    if extra:
        args.parser.error(f"unrecognized arguments: {' '.join(extra)}")
    settings, out, err = _settings(args), sys.stdout, sys.stderr
    if args.action == "list":
        services = [args.service] if args.service else sorted(SERVICES)
        work = dlq.list_dead_letters(
            settings, services, as_json=args.as_json, timeout_s=args.timeout, out=out
        )
    elif args.action == "show":
        work = dlq.show_dead_letter(
            settings,
            args.service,
            args.offset,
            partition=args.partition,
            as_json=args.as_json,
            timeout_s=args.timeout,
            out=out,
            err=err,
        )
    else:
        if (args.offset is None) == (not args.all):
            args.parser.error("replay takes one OFFSET or --all")
        if args.reason and not args.all:
            args.parser.error("--reason goes with --all")
        choice = replay.Choice(args.offset, args.partition, tuple(args.reason))
        work = replay.replay(
            settings,
            args.service,
            choice,
            dry_run=args.dry_run,
            timeout_s=args.timeout,
            out=out,
            err=err,
            as_json=args.as_json,
        )
    return _run(work, f"dlq {args.action}")
