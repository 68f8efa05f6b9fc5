"""Off a terminal every line a service writes is one JSON object: structlog's own, and
the standard library's (a library's warning, FastStream's lines with their extra
context, Python's warnings, an exception with its traceback)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit

SCRIPT = """
import logging, warnings, structlog
from mentornet_chassis.process.logging import LIBRARY_LOGGER, configure_logging
configure_logging("intake", json=True)
structlog.get_logger("ours").info("ours", event_id="e-1")
logging.getLogger("aiokafka").warning("heartbeat failed for %s", "group")
logging.getLogger("aiokafka").info("too chatty to show")
logging.getLogger(LIBRARY_LOGGER).info("consumer started", extra={"topic": "t-1"})
warnings.warn("an old call", DeprecationWarning, stacklevel=1)
try:
    raise ValueError("broken")
except ValueError:
    logging.getLogger("pymongo").exception("a store call failed")
"""


def test_every_line_is_json_with_its_logger_level_and_service() -> None:
    done = subprocess.run(
        [sys.executable, "-W", "always", "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = [json.loads(line) for line in (done.stdout + done.stderr).splitlines()]
    by_event = {line["event"].split("\\n")[0]: line for line in lines}
    assert len(lines) == 5, lines
    assert by_event["ours"]["event_id"] == "e-1"
    assert by_event["heartbeat failed for group"]["logger"] == "aiokafka"
    assert by_event["heartbeat failed for group"]["level"] == "warning"
    assert by_event["consumer started"]["topic"] == "t-1"
    warned = next(line for line in lines if line.get("logger") == "py.warnings")
    assert "an old call" in warned["event"]
    failed = by_event["a store call failed"]
    assert "ValueError: broken" in failed["exception"]
    assert {line["service"] for line in lines} == {"intake"}
    assert all("timestamp" in line for line in lines)
