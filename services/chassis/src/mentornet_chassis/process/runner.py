"""Run one service process: start, serve, and on SIGTERM drain before exit.

Shutdown order: stop fetching and let in-flight handlers finish (their offsets are
committed), let in-flight HTTP requests finish, stop the background workers, then let
the relay flush what all of them wrote, and close the clients. A crash at any point is
safe too: uncommitted records are redelivered and deduplicated by the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable, Generator
from datetime import timedelta
from typing import Any

import uvicorn
from mentornet_contracts import REGISTRY, stamp_events_with

from mentornet_chassis.http.app import create_http_app
from mentornet_chassis.http.auth import TokenVerifier
from mentornet_chassis.http.guard import Guard
from mentornet_chassis.http.idempotency import COLLECTION as IDEMPOTENCY
from mentornet_chassis.http.idempotency import IdempotencyStore
from mentornet_chassis.messaging.broker import create_broker, partitions_assigned
from mentornet_chassis.messaging.outbox import OutboxRelay
from mentornet_chassis.messaging.progress import PartitionWatch
from mentornet_chassis.process.clock import FileClock
from mentornet_chassis.process.health import health_report
from mentornet_chassis.process.logging import configure_logging, get_logger
from mentornet_chassis.process.metrics import Metrics
from mentornet_chassis.process.runtime import Build, Runtime, ServiceParts, Worker, utc_now
from mentornet_chassis.process.settings import ServiceSettings
from mentornet_chassis.process.wiring import wire
from mentornet_chassis.process.workers import outliving_store_outages
from mentornet_chassis.store import identity
from mentornet_chassis.store.mongo import create_client, database, ping

log = get_logger(__name__)


class _Server(uvicorn.Server):
    """Uvicorn without its own signal handling: the runner owns SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class ServiceProcess:
    def __init__(
        self, service: str, settings: ServiceSettings, build: Build, *, handle_signals: bool = True
    ) -> None:
        self.service = service
        self.handle_signals = handle_signals
        self.started = asyncio.Event()
        self.app: Any = None
        self.settings = settings
        self.build = build
        self.stopping = asyncio.Event()
        self.draining = asyncio.Event()
        """Set once the consumers and the HTTP server have stopped: the workers finish."""
        self.flushing = asyncio.Event()
        """Set once the workers have finished too: the relay flushes and ends, so its last
        flush comes after the last write of a handler, a request or a worker."""
        self.subscriber: Any = None
        self.failed = False
        self.background: list[Worker] = []
        self.startup: list[Callable[[], Awaitable[None]]] = []
        self.watch: PartitionWatch | None = None

    def build_runtime(self) -> Runtime:
        settings = self.settings
        client = create_client(
            settings.mongo, production=settings.production, app_name=f"mentornet-{self.service}"
        )
        broker = create_broker(
            settings.kafka,
            client_id=f"mentornet-{self.service}",
            graceful_timeout_s=settings.shutdown_timeout_s,
        )
        self.relay_wake = asyncio.Event()
        self.verifier = TokenVerifier(settings.auth, production=settings.production)
        return Runtime(
            service=self.service,
            settings=settings,
            registry=REGISTRY,
            metrics=Metrics(self.service),
            client=client,
            db=database(client, settings.mongo, self.service),
            broker=broker,
            wake_relay=self.relay_wake.set,
            clock=FileClock(settings.simulated_clock_file)
            if settings.simulated_clock_file
            else utc_now,
        )

    def _wire(self, runtime: Runtime, parts: ServiceParts) -> OutboxRelay:
        wired = wire(self.service, runtime, parts, self.relay_wake)
        if wired.consuming is not None:
            self.subscriber = wired.consuming.subscriber
            self.watch = wired.consuming.watch
            self.background = wired.consuming.workers
            self.startup = wired.consuming.startup
        return wired.relay

    async def readiness(self, runtime: Runtime) -> dict[str, bool]:
        mongodb, kafka = await asyncio.gather(ping(runtime.client), _broker_answers(runtime))
        checks = {"mongodb": mongodb, "kafka": kafka}
        if self.subscriber is not None:
            checks["partitions_assigned"] = partitions_assigned(self.subscriber)
        return checks

    async def run(self) -> None:
        runtime = self.build_runtime()
        keys = IdempotencyStore(
            runtime.db[IDEMPOTENCY], timedelta(hours=self.settings.idempotency_ttl_hours)
        )
        runtime.forget_answers = keys.forget
        parts = identity.knowing_people(runtime.db, self.build(runtime), keys.forget)
        stamp_events_with(parts.clock)
        relay = self._wire(runtime, parts)
        self.startup.append(keys.ensure_indexes)
        self.background.append(keys.run_purge)
        for hook in (*[s.ensure_indexes for s in parts.stores], *self.startup, *parts.on_startup):
            await hook()
        app = self.app = create_http_app(
            self.service,
            runtime.metrics,
            lambda: self.readiness(runtime),
            parts.routers,
            health=lambda: health_report(
                self.service, relay, self.watch, self.settings.stall_after_s
            ),
            max_body_bytes=self.settings.max_body_bytes,
            body_limits=parts.body_limits,
            idempotency=(keys, self.verifier.subject_of),
            guard=Guard(self.verifier, parts.resources, parts.enrolments),
            provides=parts.provides,
        )
        server = _Server(
            uvicorn.Config(
                app,
                host=self.settings.http_host,
                port=self.settings.http_port,
                log_config=None,
                access_log=False,
                lifespan="off",
            )
        )
        await runtime.broker.start()
        relay_task = asyncio.create_task(relay.run(self.flushing))
        workers = [*parts.workers, *self.background]
        worker_tasks = [
            asyncio.create_task(outliving_store_outages(work, self.draining)) for work in workers
        ]
        for task in worker_tasks:
            task.add_done_callback(self._stop_if_failed)
        server_task = asyncio.create_task(server.serve())
        if self.handle_signals:
            self._install_signals()
        self.started.set()
        log.info("service started", http_port=self.settings.http_port)
        await self.stopping.wait()
        log.info("draining")
        await self._drain(runtime, server, worker_tasks, relay_task, server_task)
        log.info("stopped")

    async def _drain(
        self,
        runtime: Runtime,
        server: _Server,
        workers: list[asyncio.Task[None]],
        relay: asyncio.Task[None],
        server_task: asyncio.Task[None],
    ) -> None:
        """Consumers stop first and HTTP requests finish, then the workers, and last the
        relay flushes what all of them wrote."""
        outcomes: list[object] = []
        try:
            async with asyncio.timeout(self.settings.shutdown_timeout_s):
                if self.subscriber is not None:
                    await self.subscriber.stop()
                server.should_exit = True
                await asyncio.wait([server_task])
                self.draining.set()
                outcomes = await asyncio.gather(*workers, return_exceptions=True)
                self.flushing.set()
                outcomes += await asyncio.gather(relay, return_exceptions=True)
        except TimeoutError:
            log.warning("shutdown timeout reached; pending work will be redelivered")
        finally:
            server.should_exit = True
            self.draining.set()
            self.flushing.set()
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                log.error("background task ended with an error", exc_info=outcome)
                self.failed = True
        await runtime.broker.stop()
        await server_task
        await runtime.client.close()

    def _stop_if_failed(self, task: asyncio.Task[None]) -> None:
        """A background worker that dies takes the process down, so it is restarted,
        rather than leaving a service that answers but no longer works."""
        if not task.cancelled() and task.exception() is not None:
            log.error("background worker failed; stopping", exc_info=task.exception())
            self.failed = True
            self.stopping.set()

    def _install_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stopping.set)


async def _broker_answers(runtime: Runtime) -> bool:
    try:
        async with asyncio.timeout(3):
            return bool(await runtime.broker.ping(timeout=2))
    except Exception:
        return False


def run_service(service: str, settings: ServiceSettings, build: Build) -> None:
    configure_logging(service, settings.log_level)
    process = ServiceProcess(service, settings, build)
    asyncio.run(process.run())
    if process.failed:
        raise SystemExit(1)
