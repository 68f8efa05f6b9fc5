"""`mentornet-service`: what the production image runs. `serve SERVICE` runs one service
in the foreground; `topics create` creates the registry's topics on a cluster (the
compose file's init step). Everything else (`mentornet`) is tooling, not installed here.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Sequence

from mentornet_contracts import REGISTRY, SERVICES
from mentornet_contracts.cli_parser import OneLineParser

from mentornet_chassis.messaging.topics import ensure_topics
from mentornet_chassis.process.runner import run_service
from mentornet_chassis.process.settings import KafkaSettings, ServiceSettings, load_settings


def serve(service: str) -> int:
    """Run a service's composition root (`mentornet_<service>.app`: `build`, and
    `SETTINGS`, its settings class). Services are found by name at run time: the chassis
    imports none of them."""
    module = importlib.import_module(f"mentornet_{service}.app")
    settings_class: type[ServiceSettings] = getattr(module, "SETTINGS", ServiceSettings)
    run_service(service, load_settings(settings_class, service), module.build)
    return 0


def create_topics(bootstrap_servers: str | None, replication: int) -> int:
    bootstrap = bootstrap_servers or KafkaSettings().bootstrap_servers
    created = asyncio.run(
        ensure_topics(bootstrap, REGISTRY, timeout_s=60, replication=replication, retention=True)
    )
    print(f"created {len(created)} topics on {bootstrap}: {', '.join(created) or 'none needed'}")
    return 0


def add_commands(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    """`serve` and `topics`, for this command and for the tooling's `mentornet`."""
    run = commands.add_parser("serve", help="run one service in the foreground")
    run.add_argument("service", choices=sorted(SERVICES))
    run.set_defaults(func=lambda args: serve(args.service))
    topics = commands.add_parser("topics", help="create the registry's topics on a cluster")
    topics.add_argument("action", choices=["create"])
    topics.add_argument("--bootstrap-servers", help="default: KAFKA_BOOTSTRAP_SERVERS")
    topics.add_argument("--replication", type=int, default=1, help="replication factor")
    topics.set_defaults(func=lambda args: create_topics(args.bootstrap_servers, args.replication))


def parser() -> argparse.ArgumentParser:
    root = OneLineParser(prog="mentornet-service", description=__doc__)
    add_commands(root.add_subparsers(dest="command", required=True))
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
