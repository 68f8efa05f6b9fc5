"""Program health over HTTP: the JSON figures, the dashboard page (a signed link, so a
browser can open it without a bearer token), fairness audits, and recognition."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from mentornet_chassis.errors import Forbidden, NotFound
from mentornet_chassis.http.guard import guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.store.aggregates import Decision, State
from pydantic import BaseModel, ConfigDict, Field

from . import dashboard, programs
from .access import QA_TEAM, TEAM
from .auditor import Auditor
from .domain import health, recognition, reviews
from .recognitions import Recognitions
from .store import QaStores


class Awards(BaseModel):
    model_config = ConfigDict(extra="forbid")

    awards: tuple[recognition.Threshold, ...] = Field(max_length=20)


class DashboardLinks:
    def __init__(self, key: bytes, public_url: str, hours: float) -> None:
        self.key = key
        self.public_url = public_url.rstrip("/")
        self.seconds = hours * 3600

    def signature(self, program_id: str, expires: int) -> str:
        return hmac.new(self.key, f"{program_id}|{expires}".encode(), hashlib.sha256).hexdigest()[
            :40
        ]

    def url(self, program_id: str) -> tuple[str, int]:
        expires = int(time.time() + self.seconds)
        key = self.signature(program_id, expires)
        return (
            f"{self.public_url}/programs/{program_id}/dashboard?expires={expires}&key={key}",
            expires,
        )

    def check(self, program_id: str, expires: int, key: str) -> bool:
        return expires >= time.time() and hmac.compare_digest(
            self.signature(program_id, expires), key
        )


def create_router(
    stores: QaStores,
    auditor: Auditor,
    recognitions: Recognitions,
    links: DashboardLinks,
    clock: Callable[[], datetime],
) -> APIRouter:
    router = guarded_router(tags=["program health"])

    async def program_of(program_id: str) -> programs.Program:
        program = await programs.load(stores, program_id)
        if program is None:
            raise NotFound("program_id", f"no published program {program_id}")
        return program

    async def figures(program_id: str) -> dict[str, Any]:
        program = await program_of(program_id)
        matches = await stores.matches_in(program_id)
        samples = await stores.samples_in(program_id)
        agreement = reviews.agreement(samples)
        sampling = {
            "sampled": len(samples),
            "reviewed": sum(1 for s in samples if s["status"] == "reviewed"),
            "agreement_exact": agreement["exact"],
        }
        audit = program.state.get("audit")
        return health.health(
            program.state,
            matches,
            await stores.people_in(program_id),
            clock(),
            audit,
            program.state.get("coverage"),
            sampling,
        )

    @router.get("/programs/{program_id}/health", **allow("health.read", *QA_TEAM, on="program"))
    async def health_json(program_id: str) -> dict[str, Any]:
        """Every figure on the dashboard."""
        return await figures(program_id)

    @router.get(
        "/programs/{program_id}/dashboard-link", **allow("dashboard.link", *TEAM, on="program")
    )
    async def dashboard_link(program_id: str) -> dict[str, Any]:
        """A link to the dashboard page that works in a browser until it expires."""
        await program_of(program_id)
        url, expires = links.url(program_id)
        return {"program_id": program_id, "url": url, "expires": expires}

    @router.get(
        "/programs/{program_id}/dashboard",
        response_class=HTMLResponse,
        **allow("dashboard.open", Grant.PUBLIC),
    )
    async def dashboard_page(
        program_id: str,
        expires: int = Query(description="From the dashboard link."),
        key: str = Query(description="From the dashboard link."),
    ) -> HTMLResponse:
        if not links.check(program_id, expires, key):
            raise Forbidden("key", "not a valid or current dashboard link")
        return HTMLResponse(dashboard.render(await figures(program_id)))

    @router.post(
        "/programs/{program_id}/fairness-audits",
        status_code=201,
        **allow("fairness.audit", *TEAM, on="program"),
    )
    async def run_audit(program_id: str) -> dict[str, Any]:
        """Audit now (they also run every MENTORNET_QA_AUDIT_EVERY_DAYS)."""
        await program_of(program_id)
        return {"program_id": program_id, **await auditor.run(program_id, clock())}

    @router.get(
        "/programs/{program_id}/fairness-audits/latest",
        **allow("fairness.read", *TEAM, on="program"),
    )
    async def latest_audit(program_id: str) -> dict[str, Any]:
        audit = (await program_of(program_id)).state.get("audit")
        if audit is None:
            raise NotFound("program_id", f"program {program_id} has not been audited yet")
        return {"program_id": program_id, **audit}

    @router.get(
        "/programs/{program_id}/recognition", **allow("recognition.read", *TEAM, on="program")
    )
    async def recognised(program_id: str) -> dict[str, Any]:
        """Each mentor's impact and awards, and the program's thresholds."""
        program = await program_of(program_id)
        mentors = sorted(
            {m["mentor_id"] for m in await stores.matches_in(program_id) if m.get("mentor_id")}
        )
        found = []
        for mentor_id in mentors:
            state = await stores.recognition.get_state(f"{program_id}:{mentor_id}") or {}
            found.append(
                {
                    **await recognitions.figures(program_id, mentor_id),
                    "awards": state.get("awards", []),
                }
            )
        return {
            "program_id": program_id,
            "thresholds": [t.model_dump() for t in program.awards],
            "mentors": found,
        }

    @router.put(
        "/programs/{program_id}/recognition", **allow("recognition.set", *TEAM, on="program")
    )
    async def set_awards(program_id: str, body: Awards) -> dict[str, Any]:
        saved = [t.model_dump() for t in body.awards]

        def decide(state: State | None) -> Decision:
            if state is None or not state.get("name"):
                raise NotFound("program_id", f"no published program {program_id}")
            return Decision({**state, "qa": {**(state.get("qa") or {}), "awards": saved}})

        await stores.programs.apply(program_id, decide)
        return {"program_id": program_id, "thresholds": saved}

    return router
