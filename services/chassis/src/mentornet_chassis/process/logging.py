"""structlog, configured once per process: JSON when not on a terminal."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog
from opentelemetry import trace

_configured = False
LIBRARY_LOGGER = "mentornet.faststream"
"""FastStream's lines (consumers started, partitions assigned) go to this logger, not
to FastStream's own coloured handler on stdout."""


def configure_logging(service: str, level: str = "INFO", *, json: bool | None = None) -> None:
    """structlog for our own lines; the standard library's loggers (aiokafka, pymongo,
    uvicorn, FastStream's LIBRARY_LOGGER, Python's warnings) rendered by the same
    processors, so that off a terminal every line the process writes is one JSON object
    with its level, logger, time and the service."""
    global _configured
    if _configured:
        return
    render_json = not sys.stderr.isatty() if json is None else json
    renderer: Any = (
        structlog.processors.JSONRenderer() if render_json else structlog.dev.ConsoleRenderer()
    )
    stamp = structlog.processors.TimeStamper(fmt="iso", utc=True)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            add_trace_ids,
            structlog.processors.add_log_level,
            stamp,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    _route_standard_logging(renderer, stamp)
    _configured = True


def _route_standard_logging(renderer: Any, stamp: Any) -> None:
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.contextvars.merge_contextvars,
            add_trace_ids,
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(),
            stamp,
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger(LIBRARY_LOGGER).setLevel(logging.INFO)
    logging.captureWarnings(True)


def add_trace_ids(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """The current span's trace and span ids (W3C hex), so a log line leads to its trace
    in the tracing backend and the lines of one trace can be found in every service."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event.setdefault("trace_id", format(context.trace_id, "032x"))
        event.setdefault("span_id", format(context.span_id, "016x"))
    return event


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)
