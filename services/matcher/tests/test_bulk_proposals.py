"""A batch run's proposals written a chunk at a time (usecases/bulk_proposals.py), on the
real MongoDB-wire server: the same matches, holds and waitlist as one by one; a mentee
the matcher has written about before, and one whose mentor's place went while the chunk
was being written, are placed one by one, never twice and never over capacity."""

from __future__ import annotations

from typing import Any

import pytest
from mentornet_chassis.store.aggregates import Decision
from mentornet_contracts.events.matches import MatchProposed, MenteeWaitlisted
from mentornet_matcher.domain import loads
from mentornet_matcher.usecases import bulk_proposals
from mentornet_matcher.usecases.bulk_proposals import BulkProposals, Plan
from mentornet_matcher.usecases.proposals import Proposal, Scored
from pymongo import AsyncMongoClient

from .builders import mentee, mentor
from .world import World

pytestmark = pytest.mark.integration


@pytest.fixture
def world(mongo: AsyncMongoClient[dict[str, Any]], unique: str) -> World:
    return World.on(mongo[f"bulk_{unique}"])


async def outboxes(world: World, collection: Any) -> dict[str, list[str]]:
    found = collection.find({})
    return {doc["_id"]: [e["type"] for e in doc.get("outbox", [])] async for doc in found}


async def test_a_batch_in_chunks_proposes_holds_and_waitlists_like_one_by_one(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_proposals, "CHUNK", 4)
    await world.program(approval_mode="auto", max_active_mentees_per_mentor=3)
    await world.add(*(mentee(f"e{i}", ("python", 4)) for i in range(10)))
    await world.add(mentor("m0", ("python", 5)), mentor("m1", ("python", 5)))
    record = await world.batch()
    assert (record["proposed"], record["waitlisted"]) == (6, 4)

    live = await world.live()
    assert len(live) == 6
    assert len({m["mentee_id"] for m in live}) == 6
    for mentor_id in ("m0", "m1"):
        load = await world.stores.loads.get_state(mentor_id)
        assert load is not None
        mine = {m["match_id"] for m in live if m["mentor_id"] == mentor_id}
        assert set(load["holds"]) == mine
        assert len(mine) == 3
    sent = await outboxes(world, world.stores.matches.collection)
    assert sorted(sent.values()) == [[MatchProposed.event_type]] * 6
    waiting = await world.stores.waiting_in("prog-1")
    assert len(waiting) == 4
    assert all(w["reasons"] == ["no_capacity"] for w in waiting)
    listed = await outboxes(world, world.stores.waitlist.collection)
    assert sum(types == [MenteeWaitlisted.event_type] for types in listed.values()) == 4


async def test_someone_waitlisted_before_is_placed_one_by_one(world: World) -> None:
    await world.program(approval_mode="auto")
    await world.add(mentee("early", ("python", 4)))
    await world.runs.request("prog-1")
    assert (await world.batch())["waitlisted"] == 1
    await world.add(*(mentee(f"e{i}", ("python", 4)) for i in range(2)))
    await world.add(mentor("m0", ("python", 5), capacity=3))
    record = await world.batch()
    assert (record["proposed"], record["waitlisted"]) == (3, 0)
    assert sorted(m["mentee_id"] for m in await world.live()) == ["e0", "e1", "early"]
    early = await world.stores.waitlist_states.get("early")
    assert early is not None
    assert not early.get("waiting")


async def test_a_place_taken_while_the_chunk_is_written_goes_to_the_next_mentor(
    world: World,
) -> None:
    """Between reading m0's load and holding on it, another placement takes m0's only
    place: the mentee it was planned for is unclaimed and placed one by one with m1."""
    await world.program(approval_mode="auto")
    await world.add(mentee("e0", ("python", 4)))
    await world.add(mentor("m0", ("python", 5), capacity=1), mentor("m1", ("python", 3)))

    class Racing(BulkProposals):
        async def _claim(self, scored: Scored, plan: Plan, how: Proposal) -> set[int]:
            taken = loads.reserve(None, "m0", "match-elsewhere", "prog-1", 1.0, 1)
            await world.stores.loads.apply("m0", lambda _: Decision(state=dict(taken)))
            return await super()._claim(scored, plan, how)

    world.matchmaker.bulk = Racing(world.stores, world.matchmaker.proposer)
    record = await world.batch()
    assert (record["proposed"], record["waitlisted"]) == (1, 0)
    [match] = await world.live()
    assert (match["mentee_id"], match["mentor_id"]) == ("e0", "m1")
    m0 = await world.stores.loads.get_state("m0")
    assert m0 is not None
    assert list(m0["holds"]) == ["match-elsewhere"]
    entry = await world.stores.waitlist_states.get("e0")
    assert entry is not None
    assert entry["offer"]["matches"] == [match["match_id"]]


async def test_a_shortlist_program_gets_three_options_each_claimed_together(
    world: World,
) -> None:
    await world.program(approval_mode="mentee_shortlist")
    await world.add(*(mentee(f"e{i}", ("python", 4)) for i in range(4)))
    await world.add(*(mentor(f"m{j}", ("python", 5), capacity=2) for j in range(4)))
    record = await world.batch()
    assert (record["proposed"], record["waitlisted"]) == (4, 0)
    live = await world.live()
    assert {m["status"] for m in live} == {"shortlisted"}
    for i in range(4):
        options = [m for m in live if m["mentee_id"] == f"e{i}"]
        assert len({m["mentor_id"] for m in options}) == len(options) == 3
        entry = await world.stores.waitlist_states.get(f"e{i}")
        assert entry is not None
        assert sorted(entry["offer"]["matches"]) == sorted(m["match_id"] for m in options)
    assert await world.stores.loads.collection.count_documents({}) == 0


async def test_a_long_run_renews_its_lease_after_each_chunk(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No other replica can claim the program while its run writes chunk after chunk."""
    monkeypatch.setattr(bulk_proposals, "CHUNK", 2)
    await world.program(approval_mode="auto")
    await world.add(*(mentee(f"e{i}", ("python", 4)) for i in range(6)))
    await world.add(mentor("m0", ("python", 5), capacity=3))
    claimed = await world.runs.claim("first")
    assert claimed is not None
    leases: list[float] = []

    async def renew() -> None:
        await world.runs.renew(claimed)
        doc = await world.runs.get("prog-1")
        assert doc is not None
        leases.append(float(doc["lease_until"]))
        assert await world.runs.claim("second") is None

    await world.matchmaker.run_batch("prog-1", "run-1", renew=renew)
    assert len(leases) == 3
    assert leases == sorted(leases)
    assert leases[0] > claimed["lease_until"]
