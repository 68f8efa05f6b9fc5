"""MongoDB through PyMongo's async API (AsyncMongoClient). Motor is end of life."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pymongo
from pymongo import AsyncMongoClient, WriteConcern, monitoring
from pymongo.asynchronous.database import AsyncDatabase

from mentornet_chassis.process.settings import MongoSettings

Document = dict[str, Any]


def create_client(
    settings: MongoSettings,
    *,
    production: bool,
    app_name: str,
    listeners: Sequence[monitoring.CommandListener] = (),
) -> AsyncMongoClient[Document]:
    """Majority writes in production so an acknowledged write survives a primary failover.
    `listeners`: command monitoring (the tracing's store spans)."""
    options: dict[str, Any] = {
        "appname": app_name,
        "serverSelectionTimeoutMS": 5000,
        "tz_aware": True,
    }
    if listeners:
        options["event_listeners"] = list(listeners)
    if production:
        options["w"] = "majority"
    if settings.tls_ca_file:
        options["tls"] = True
        options["tlsCAFile"] = settings.tls_ca_file
    return AsyncMongoClient(settings.uri.get_secret_value(), **options)


def database(
    client: AsyncMongoClient[Document], settings: MongoSettings, service: str
) -> AsyncDatabase[Document]:
    name = settings.database or f"mentornet_{service}"
    return client.get_database(name, write_concern=client.write_concern or WriteConcern())


async def ping(client: AsyncMongoClient[Document], timeout_s: float = 2.0) -> bool:
    """Whether the server answers within `timeout_s`. The client sets no socket timeout,
    so a server that accepts but never answers (stopped, overloaded) would otherwise
    hold the readiness check until it came back. The driver's own deadline
    (`pymongo.timeout`) rather than cancelling the task: cancelling driver operations
    mid-flight during an outage left a client's topology lock broken ("Lock is not
    acquired"), and the process's later operations failing or hanging."""
    try:
        with pymongo.timeout(timeout_s):
            await client.admin.command("ping")
    except Exception:
        return False
    return True
