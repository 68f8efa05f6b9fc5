"""Escalation cases over HTTP: a program's cases, one case, claim, resolve, open one by
hand; the program's playbook."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from mentornet_chassis.errors import NotFound
from mentornet_chassis.http.auth import Principal
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import allow
from mentornet_chassis.store.aggregates import Decision, State
from mentornet_contracts import new_envelope
from mentornet_contracts.events.qa import EscalationTrigger, Resolution
from pydantic import BaseModel, ConfigDict, Field

from . import programs, triggers
from .access import QA_TEAM, TEAM, match_of_case
from .api_support import refusals
from .domain import playbook
from .domain.errors import Conflict
from .store import QaStores

SERVICE = "qa"


class Resolve(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolution: Resolution
    note: str = Field(default="", max_length=1000)


class Open(BaseModel):
    model_config = ConfigDict(extra="forbid")

    detail: str = Field(min_length=1, max_length=500, description="Why, in a few words.")


def case_view(match: State, case: dict[str, Any]) -> dict[str, Any]:
    return {
        **case,
        "match_id": match["match_id"],
        "program_id": match["program_id"],
        "mentor_id": match["mentor_id"],
        "mentee_id": match["mentee_id"],
    }


def create_router(
    stores: QaStores, clock: Callable[[], datetime], wake: Callable[[], None]
) -> APIRouter:
    router = guarded_router(tags=["escalations"])

    async def case_match(case_id: str) -> State:
        found = await match_of_case(stores, case_id)
        if found is None:
            raise NotFound("case_id", f"no case {case_id}")
        return found

    async def change(match_id: str, step: Callable[[State], tuple[State, list[Any]]]) -> State:
        def decide(state: State | None) -> Decision:
            assert state is not None
            new, events = step(state)
            new = {**new, "due_epoch": triggers.next_due(new)}
            return Decision(new, [new_envelope(e, SERVICE) for e in events])

        with refusals():
            applied = await stores.matches.apply(match_id, decide)
        wake()
        assert applied.state is not None
        return applied.state

    @router.get("/programs/{program_id}/cases", **allow("cases.list", *QA_TEAM, on="program"))
    async def listing(
        program_id: str,
        status: Literal["open", "resolved", "all"] = Query(default="open"),
    ) -> dict[str, Any]:
        """The program's cases, the most urgent first (overdue, then by severity)."""
        found = []
        for match in await stores.matches_in(program_id):
            if status in ("open", "all") and match.get("case"):
                found.append(case_view(match, match["case"]))
            if status in ("resolved", "all"):
                found += [case_view(match, c) for c in match.get("closed_cases", [])]
        rank = {s: i for i, s in enumerate(reversed(playbook.SEVERITIES))}
        found.sort(key=lambda c: (c["status"] != "open", rank.get(c["severity"], 9), c["due_at"]))
        return {"program_id": program_id, "cases": found}

    @router.get("/cases/{case_id}", **allow("cases.read", *QA_TEAM, on="case"))
    async def one(case_id: str) -> dict[str, Any]:
        match = await case_match(case_id)
        case = match.get("case") if (match.get("case") or {}).get("case_id") == case_id else None
        case = case or next(c for c in match.get("closed_cases", []) if c["case_id"] == case_id)
        return case_view(match, case)

    @router.post("/cases/{case_id}/claim", **allow("cases.claim", *QA_TEAM, on="case"))
    async def claim(case_id: str, principal: Principal = Depends(caller)) -> dict[str, Any]:
        """Take the case: you become its owner."""
        match = await case_match(case_id)
        owner = programs.as_owner(principal.subject)

        def take(m: State) -> tuple[State, list[Any]]:
            _open_case(m, case_id)
            return playbook.claim(m, owner), []

        state = await change(match["match_id"], take)
        return case_view(state, state["case"])

    @router.post("/cases/{case_id}/resolve", **allow("cases.resolve", *QA_TEAM, on="case"))
    async def resolve(
        case_id: str, body: Resolve, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        """Close the case; a case already closed is a 409."""
        match = await case_match(case_id)
        now = clock()

        def close(m: State) -> tuple[State, list[Any]]:
            _open_case(m, case_id)
            closed, event = playbook.resolve(m, body.resolution, now, principal.subject, body.note)
            return closed, [event]

        state = await change(match["match_id"], close)
        return case_view(state, state["closed_cases"][-1])

    @router.post(
        "/matches/{match_id}/cases", status_code=201, **allow("cases.open", *QA_TEAM, on="match")
    )
    async def open_case(match_id: str, body: Open) -> dict[str, Any]:
        """A coordinator or reviewer opens (or adds to) the match's case by hand."""
        match = await stores.matches.get_state(match_id)
        if match is None or not match.get("program_id"):
            raise NotFound("match_id", f"no match {match_id} here")
        program = await programs.load(stores, match["program_id"])
        now = clock()
        state = await change(
            match_id,
            lambda m: triggers.raise_case(m, EscalationTrigger.MANUAL, body.detail, program, now),
        )
        return case_view(state, state["case"])

    @router.get("/programs/{program_id}/playbook", **allow("playbook.read", *QA_TEAM, on="program"))
    async def get_playbook(program_id: str) -> dict[str, Any]:
        program = await programs.load(stores, program_id)
        if program is None:
            raise NotFound("program_id", f"no published program {program_id}")
        return {"program_id": program_id, **program.playbook.model_dump(mode="json")}

    @router.put("/programs/{program_id}/playbook", **allow("playbook.set", *TEAM, on="program"))
    async def put_playbook(program_id: str, body: playbook.Playbook) -> dict[str, Any]:
        """The program's escalation playbook: a first step per trigger (the others keep
        the default) and the last step (rematch or pause)."""
        saved = body.model_dump(mode="json")

        def decide(state: State | None) -> Decision:
            if state is None or not state.get("name"):
                raise NotFound("program_id", f"no published program {program_id}")
            return Decision({**state, "qa": {**(state.get("qa") or {}), "playbook": saved}})

        await stores.programs.apply(program_id, decide)
        return {"program_id": program_id, **saved}

    return router


def _open_case(match: State, case_id: str) -> None:
    """The case must be the match's open one; otherwise it was closed (409)."""
    case = match.get("case")
    if case is None or case["case_id"] != case_id:
        closed = next((c for c in match.get("closed_cases", []) if c["case_id"] == case_id), None)
        raise Conflict(f"case {case_id} is closed", closed)
