"""Run one service process that wiring.py built: start, serve, and on SIGTERM drain
before exit.

Shutdown order: stop fetching and let in-flight handlers finish (their offsets are
committed), let in-flight HTTP requests finish, stop the background workers, then let
the relay flush what all of them wrote, and close the clients. A crash at any point is
safe too: uncommitted records are redelivered and deduplicated by the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Generator
from typing import Any

import uvicorn
from opentelemetry.sdk.trace.export import SpanExporter

from mentornet_chassis.process.logging import configure_logging, get_logger
from mentornet_chassis.process.runtime import Build, Runtime
from mentornet_chassis.process.settings import ServiceSettings
from mentornet_chassis.process.wiring import Wired, runtime_for, wire
from mentornet_chassis.process.workers import outliving_store_outages

log = get_logger(__name__)


class _Server(uvicorn.Server):
    """Uvicorn without its own signal handling: the runner owns SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class ServiceProcess:
    def __init__(
        self,
        service: str,
        settings: ServiceSettings,
        build: Build,
        *,
        handle_signals: bool = True,
        span_exporter: SpanExporter | None = None,
    ) -> None:
        self.service = service
        self.settings = settings
        self.build = build
        self.span_exporter = span_exporter
        self.handle_signals = handle_signals
        self.started = asyncio.Event()
        self.app: Any = None
        self.stopping = asyncio.Event()
        self.draining = asyncio.Event()
        """Set once the consumers and the HTTP server have stopped: the workers finish."""
        self.flushing = asyncio.Event()
        """Set once the workers have finished too: the relay flushes and ends, so its last
        flush comes after the last write of a handler, a request or a worker."""
        self.failed = False

    def build_runtime(self) -> Runtime:
        """The process-wide resources this process would run with (apidocs builds a
        composition root on them without running anything)."""
        return runtime_for(self.service, self.settings)

    async def run(self) -> None:
        wired = wire(self.service, self.settings, self.build, self.span_exporter)
        for hook in wired.startup:
            await hook()
        self.app = wired.app
        server = _Server(
            uvicorn.Config(
                wired.app,
                host=self.settings.http_host,
                port=self.settings.http_port,
                timeout_keep_alive=self.settings.http_keep_alive_s,
                log_config=None,
                access_log=False,
                lifespan="off",
            )
        )
        await wired.runtime.broker.start()
        relay_task = asyncio.create_task(wired.relay.run(self.flushing))
        worker_tasks = [
            asyncio.create_task(outliving_store_outages(work, self.draining))
            for work in wired.workers
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
        await self._drain(wired, server, worker_tasks, relay_task, server_task)
        log.info("stopped")

    async def _drain(
        self,
        wired: Wired,
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
                if wired.subscriber is not None:
                    await wired.subscriber.stop()
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
        await wired.runtime.broker.stop()
        await server_task
        await wired.runtime.client.close()
        await asyncio.to_thread(wired.runtime.tracing.shutdown)

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


def run_service(service: str, settings: ServiceSettings, build: Build) -> None:
    configure_logging(service, settings.log_level)
    process = ServiceProcess(service, settings, build)
    asyncio.run(process.run())
    if process.failed:
        raise SystemExit(1)
