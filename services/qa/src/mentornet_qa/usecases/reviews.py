"""QA review: a program's samples, claiming and reviewing one (an `escalated` review
opens a case on the match), agreement between reviewers, and re-running a period's
sampling from its seed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal, TypedDict

from mentornet_chassis.errors import NotFound
from mentornet_chassis.store.typed import Change
from mentornet_contracts import new_envelope
from mentornet_contracts.events.qa import EscalationTrigger, QaReviewCompleted, ReviewOutcome

from ..domain import periods, reviews, triggers
from ..domain.documents import Match, Sample, SessionDecision
from ..domain.program import as_owner
from ..domain.reviews import Viewer, as_seen_by
from ..store import QaStores
from .sampling import Sampler

SERVICE = "qa"
Listed = Literal["open", "claimed", "reviewed", "all"]


class PeriodReplay(TypedDict):
    program_id: str
    period: str
    seed: str
    replay: periods.Replay
    decisions: list[SessionDecision]


def _known(sample: Sample | None, sample_id: str) -> Sample:
    if sample is None:
        raise NotFound("sample_id", f"no sample {sample_id}")
    return sample


class ReviewDesk:
    def __init__(
        self,
        stores: QaStores,
        sampler: Sampler,
        clock: Callable[[], datetime],
        wake: Callable[[], None],
    ) -> None:
        self.stores = stores
        self.sampler = sampler
        self.clock = clock
        self.wake = wake

    async def listing(self, program_id: str, status: Listed, viewer: Viewer) -> list[Sample]:
        found = await self.stores.samples_in(program_id)
        return sorted(
            (as_seen_by(s, viewer) for s in found if status in ("all", s["status"])),
            key=lambda s: s["sample_id"],
        )

    async def one(self, sample_id: str, viewer: Viewer) -> Sample:
        return as_seen_by(_known(await self.stores.samples.get(sample_id), sample_id), viewer)

    async def claim(self, sample_id: str, reviewer: Viewer) -> Sample:
        """Take a sample to review (two reviewers for a double-reviewed one). The answer,
        and the sample in a refusal, show what `reviewer` may see of it."""
        now = self.clock()

        def decide(state: Sample | None) -> Change[Sample]:
            sample = _known(state, sample_id)
            return Change(reviews.claim(sample, reviewer.subject, now, shown_to=reviewer))

        written = await self.stores.samples.change(sample_id, decide)
        assert written is not None
        return as_seen_by(written, reviewer)

    async def review(self, sample_id: str, reviewer: Viewer, body: reviews.Review) -> Sample:
        """Score the sampled session on the rubric, with an outcome and a comment. An
        `escalated` outcome opens a case on the match. The answer, and the sample in a
        refusal, show what `reviewer` may see of it."""
        now = self.clock()
        reviewer_id = reviewer.subject

        def decide(state: Sample | None) -> Change[Sample]:
            sample = reviews.review(
                _known(state, sample_id), reviewer_id, body, now, shown_to=reviewer
            )
            event = QaReviewCompleted(
                sample_id=sample_id,
                match_id=sample["match_id"],
                session_id=sample["session_id"],
                reviewer_id=as_owner(reviewer_id),
                rubric={k: v for k, v in body.rubric.items()},
                outcome=body.outcome,
            )
            return Change(sample, [new_envelope(event, SERVICE)])

        try:
            written = await self.stores.samples.change(sample_id, decide)
        finally:
            await self._escalate_if_asked(sample_id, reviewer_id, now)
        assert written is not None
        self.wake()
        return as_seen_by(written, reviewer)

    async def agreement(self, program_id: str) -> reviews.Agreement:
        """Between the two reviewers of each double-reviewed sample."""
        return reviews.agreement(await self.stores.samples_in(program_id))

    async def period(self, program_id: str, period: str) -> PeriodReplay:
        """A period's sampling decisions, and whether making them again from the same
        seed gives the same sample."""
        state = await self.stores.periods.get(f"{program_id}:{period}")
        program = await self.stores.program(program_id)
        if state is None or program is None:
            raise NotFound("period", f"no sampling for {program_id} in {period}")
        return PeriodReplay(
            program_id=program_id,
            period=period,
            seed=state["seed"],
            replay=periods.replayed(state, self.sampler.rules(program)),
            decisions=list(state["decisions"].values()),
        )

    async def _escalate_if_asked(self, sample_id: str, reviewer_id: str, now: datetime) -> None:
        """The reviewer's review asked for escalation: open (or add to) the match's case,
        once per sample, also when a retry of the review finds it already recorded."""
        sample = await self.stores.samples.get(sample_id)
        if sample is None:
            return
        mine = [r for r in sample["reviews"] if r["reviewer_id"] == reviewer_id]
        if not mine or mine[0]["outcome"] != ReviewOutcome.ESCALATED:
            return
        program = await self.stores.program(sample["program_id"])
        detail = f"a QA review of session {sample['session_id']} asked for escalation"

        def decide(state: Match | None) -> Change[Match]:
            if state is None or sample_id in state.get("escalated_samples", []):
                return Change(None)
            marked: Match = {
                **state,
                "escalated_samples": [*state.get("escalated_samples", []), sample_id],
            }
            raised, events = triggers.raise_case(
                marked, EscalationTrigger.QA_REVIEW, detail, program, now
            )
            return Change(
                {**raised, "due_epoch": triggers.next_due(raised)},
                [new_envelope(e, SERVICE) for e in events],
            )

        await self.stores.matches.apply(sample["match_id"], decide)
