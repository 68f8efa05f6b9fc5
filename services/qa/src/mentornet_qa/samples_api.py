"""QA review over HTTP: a program's samples, claiming and reviewing one, agreement
between reviewers, and re-running a period's sampling from its seed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from mentornet_chassis.errors import NotFound
from mentornet_chassis.http.auth import Principal, Role
from mentornet_chassis.http.guard import caller, guarded_router
from mentornet_chassis.http.policy import Grant, allow
from mentornet_chassis.store.aggregates import Decision, State
from mentornet_contracts import new_envelope
from mentornet_contracts.events.qa import EscalationTrigger, QaReviewCompleted, ReviewOutcome

from . import programs, triggers
from .access import QA_TEAM
from .api_support import refusals
from .domain import reviews
from .sampler import Sampler, replayed
from .store import QaStores

SERVICE = "qa"


def create_router(
    stores: QaStores,
    sampler: Sampler,
    clock: Callable[[], datetime],
    wake: Callable[[], None],
) -> APIRouter:
    router = guarded_router(tags=["qa review"])

    async def sample_of(sample_id: str) -> State:
        sample = await stores.samples.get_state(sample_id)
        if sample is None:
            raise NotFound("sample_id", f"no sample {sample_id}")
        return sample

    @router.get("/programs/{program_id}/samples", **allow("samples.list", *QA_TEAM, on="program"))
    async def listing(
        program_id: str,
        status: Literal["open", "claimed", "reviewed", "all"] = Query(default="all"),
        principal: Principal = Depends(caller),
    ) -> dict[str, Any]:
        found = [
            _as_seen(s, principal)
            for s in await stores.samples_in(program_id)
            if status in ("all", s["status"])
        ]
        return {"program_id": program_id, "samples": sorted(found, key=lambda s: s["sample_id"])}

    @router.get("/samples/{sample_id}", **allow("samples.read", *QA_TEAM, on="sample"))
    async def one(sample_id: str, principal: Principal = Depends(caller)) -> dict[str, Any]:
        sample = await sample_of(sample_id)
        return _as_seen(sample, principal)

    @router.post(
        "/samples/{sample_id}/claim", **allow("samples.claim", Grant.REVIEWER, on="sample")
    )
    async def claim(sample_id: str, principal: Principal = Depends(caller)) -> dict[str, Any]:
        """Take a sample to review (two reviewers for a double-reviewed one)."""
        now = clock()
        with refusals():
            applied = await stores.samples.apply(
                sample_id,
                lambda s: Decision(reviews.claim(_known(s, sample_id), principal.subject, now)),
            )
        assert applied.state is not None
        return applied.state

    @router.post(
        "/samples/{sample_id}/reviews",
        status_code=201,
        **allow("samples.review", Grant.REVIEWER, on="sample"),
    )
    async def review(
        sample_id: str, body: reviews.Review, principal: Principal = Depends(caller)
    ) -> dict[str, Any]:
        """Score the sampled session on the rubric, with an outcome and a comment. An
        `escalated` outcome opens a case on the match."""
        now = clock()

        def decide(state: State | None) -> Decision:
            sample = reviews.review(_known(state, sample_id), principal.subject, body, now)
            event = QaReviewCompleted(
                sample_id=sample_id,
                match_id=sample["match_id"],
                session_id=sample["session_id"],
                reviewer_id=programs.as_owner(principal.subject),
                rubric={k: v for k, v in body.rubric.items()},
                outcome=body.outcome,
            )
            return Decision(sample, [new_envelope(event, SERVICE)])

        try:
            with refusals():
                applied = await stores.samples.apply(sample_id, decide)
        finally:
            await _escalate_if_asked(stores, sample_id, principal.subject, now)
        assert applied.state is not None
        wake()
        return applied.state

    @router.get(
        "/programs/{program_id}/reviews/agreement",
        **allow("reviews.agreement", *QA_TEAM, on="program"),
    )
    async def agreement(program_id: str) -> dict[str, Any]:
        """Between the two reviewers of each double-reviewed sample."""
        return {"program_id": program_id, **reviews.agreement(await stores.samples_in(program_id))}

    @router.get(
        "/programs/{program_id}/sampling/{period}",
        **allow("sampling.replay", *QA_TEAM, on="program"),
    )
    async def period(program_id: str, period: str) -> dict[str, Any]:
        """A period's sampling decisions, and whether making them again from the same
        seed gives the same sample."""
        state = await stores.periods.get_state(f"{program_id}:{period}")
        program = await programs.load(stores, program_id)
        if state is None or program is None:
            raise NotFound("period", f"no sampling for {program_id} in {period}")
        rules = program.sampling(sampler.double_share, sampler.new_mentor_days)
        return {
            "program_id": program_id,
            "period": period,
            "seed": state["seed"],
            "replay": replayed(state, rules),
            "decisions": list(state["decisions"].values()),
        }

    return router


def _as_seen(sample: State, principal: Principal) -> State:
    """A reviewer sees other reviewers' scores only once the sample is fully reviewed,
    so a second review is made on its own (and agreement means something)."""
    if (
        principal.has(Role.SERVICE)
        or principal.runs(sample["program_id"])
        or sample["status"] == "reviewed"
    ):
        return sample
    return {
        **sample,
        "reviews": [r for r in sample["reviews"] if r["reviewer_id"] == principal.subject],
    }


def _known(sample: State | None, sample_id: str) -> State:
    if sample is None:
        raise NotFound("sample_id", f"no sample {sample_id}")
    return sample


async def _escalate_if_asked(
    stores: QaStores, sample_id: str, reviewer_id: str, now: datetime
) -> None:
    """The reviewer's review asked for escalation: open (or add to) the match's case,
    once per sample, also when a retry of the review finds it already recorded."""
    sample = await stores.samples.get_state(sample_id)
    mine = [r for r in (sample or {}).get("reviews", []) if r["reviewer_id"] == reviewer_id]
    if sample is None or not mine or mine[0]["outcome"] != ReviewOutcome.ESCALATED:
        return
    program = await programs.load(stores, sample["program_id"])
    detail = f"a QA review of session {sample['session_id']} asked for escalation"

    def decide(state: State | None) -> Decision:
        if state is None or sample_id in state.get("escalated_samples", []):
            return Decision(state=None)
        marked = {**state, "escalated_samples": [*state.get("escalated_samples", []), sample_id]}
        raised, events = triggers.raise_case(
            marked, EscalationTrigger.QA_REVIEW, detail, program, now
        )
        return Decision(
            {**raised, "due_epoch": triggers.next_due(raised)},
            [new_envelope(e, SERVICE) for e in events],
        )

    await stores.matches.apply(sample["match_id"], decide)
