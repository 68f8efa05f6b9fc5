"""Each service's OpenAPI document, built from its real composition root.

Nothing connects: the Mongo client and the broker are created lazily and never started.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from mentornet_chassis.http.app import create_http_app
from mentornet_chassis.process.runner import ServiceProcess
from mentornet_chassis.process.settings import ServiceSettings
from mentornet_contracts import SERVICES

from mentornet_tooling import policy_doc


async def _never_ready() -> dict[str, bool]:
    return {"documentation": False}


def http_app(service: str) -> FastAPI:
    """The service's app as its composition root builds it (its routes, its document)."""
    module = importlib.import_module(f"mentornet_{service}.app")
    settings_cls: type[ServiceSettings] = getattr(module, "SETTINGS", ServiceSettings)
    process = ServiceProcess(service, settings_cls(), module.build, handle_signals=False)
    runtime = process.build_runtime()
    parts = module.build(runtime)
    port = settings_cls.model_fields["http_port"].default
    return create_http_app(
        service,
        runtime.metrics,
        _never_ready,
        parts.routers,
        provides=parts.provides,
        server_url=f"http://127.0.0.1:{port}",
    )


def openapi(service: str) -> dict[str, Any]:
    document: dict[str, Any] = http_app(service).openapi()
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def write_all(docs_dir: Path) -> list[Path]:
    """The OpenAPI documents, and the policy table in security.md drawn from them."""
    target = docs_dir / "api"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    documents = {service: openapi(service) for service in SERVICES}
    for service, document in documents.items():
        path = target / f"{service}.json"
        text = render(document)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            written.append(path)
    security = docs_dir / "security.md"
    current = policy_doc.with_table(security.read_text(), documents)
    if security.read_text() != current:
        security.write_text(current)
        written.append(security)
    return written
