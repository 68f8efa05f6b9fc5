"""Arguments of `mentornet outbox ...` (cli.py passes them through): the services' MongoDB
from `--mongodb-uri` or MONGODB_URI, each service's database by its default name
(`mentornet_<service>`) or `--database`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from mentornet_chassis.process.settings import (
    MongoSettings,
    ServiceSettings,
    SettingsError,
    describe,
)
from mentornet_chassis.store.mongo import Document
from mentornet_contracts.catalogue import SERVICES
from mentornet_contracts.cli_parser import OneLineParser
from pydantic import SecretStr, ValidationError
from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

from mentornet_tooling.operator import outbox
from mentornet_tooling.operator.reading import local_default

AGGREGATE_HELP = "collection/aggregate_id, as `outbox list` prints it"


def outbox_parser() -> argparse.ArgumentParser:
    root = OneLineParser(
        prog="mentornet outbox", description="Records a service's relay could not publish."
    )
    common = OneLineParser(add_help=False)
    common.add_argument(
        "--mongodb-uri",
        help="default: MONGODB_URI, else the local stack's (MENTORNET_DEV_MONGO_PORT)",
    )
    common.add_argument("--database", help="the service's database (default mentornet_<service>)")
    sub = root.add_subparsers(dest="action", required=True)
    services = sorted(SERVICES)
    listing = sub.add_parser(
        "list", help="failing and poisoned records, every service", parents=[common]
    )
    listing.add_argument("--service", choices=services, help="default: every service")
    listing.add_argument("--json", action="store_true", dest="as_json", help="JSON lines")
    for name, summary in (
        ("show", "one failing aggregate: why, and the records it holds"),
        ("retry", "try its failing record again (the relay's next scan)"),
        ("discard", "take its failing record out of the outbox, keeping it with the reason"),
    ):
        action = sub.add_parser(name, help=summary, parents=[common])
        action.add_argument("service", choices=services)
        action.add_argument("aggregate", help=AGGREGATE_HELP)
        if name == "discard":
            action.add_argument("--reason", required=True, help="why (recorded with it)")
    return root


def _client(uri: str | None) -> AsyncMongoClient[Document]:
    try:
        uri = uri or local_default("MONGODB_URI", "mongodb")
        settings = MongoSettings(uri=SecretStr(uri)) if uri else MongoSettings()
    except ValidationError as exc:
        raise SettingsError(f"mentornet: {describe(exc, ServiceSettings)}") from None
    return AsyncMongoClient(
        settings.uri.get_secret_value(), serverSelectionTimeoutMS=5000, tz_aware=True
    )


async def _run(args: argparse.Namespace) -> int:
    client = _client(args.mongodb_uri)
    out, err = sys.stdout, sys.stderr
    try:
        if args.action == "list":
            services = [args.service] if args.service else sorted(SERVICES)
            return await outbox.list_failures(
                client, services, args.database, as_json=args.as_json, out=out
            )
        if args.action == "show":
            return await outbox.show_failure(
                client, args.service, args.database, args.aggregate, out=out, err=err
            )
        if args.action == "retry":
            return await outbox.retry_failure(
                client, args.service, args.database, args.aggregate, out=out, err=err
            )
        return await outbox.discard_failure(
            client, args.service, args.database, args.aggregate, args.reason, out=out, err=err
        )
    finally:
        await client.close()


def outbox_command(argv: Sequence[str]) -> int:
    args = outbox_parser().parse_args(argv)
    try:
        return asyncio.run(_run(args))
    except PyMongoError as exc:
        print(f"mentornet outbox {args.action}: {exc}", file=sys.stderr)
        return 1
