"""The typed view over an aggregate store: the same writes, typed documents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypedDict

import pytest
from mentornet_chassis.messaging.subscribers import updating
from mentornet_chassis.messaging.timers import firing
from mentornet_chassis.store.aggregates import AggregateStore, Applied, Decision, Outcome
from mentornet_chassis.store.typed import Change, Changed, Documents, typed, untyped
from mentornet_contracts import REGISTRY, Event, new_envelope
from mentornet_contracts.events.participants import ParticipantWithdrawn


class Counter(TypedDict, total=False):
    name: str
    count: int
    due_epoch: float | None


def bump(state: Counter | None) -> Change[Counter]:
    count = (state or {}).get("count", 0) + 1
    event = new_envelope(ParticipantWithdrawn(participant_id="p1", reason=str(count)), "t")
    return Change(Counter(name="c", count=count), [event])


def leave(state: Counter | None) -> Change[Counter]:
    return Change(None)


@pytest.fixture
async def counters(mongo: Any, unique: str) -> Documents[Counter]:
    return Documents(AggregateStore(mongo[f"test_typed_{unique}"]["counters"], REGISTRY))


@pytest.mark.unit
def test_a_change_is_the_chassis_decision_of_the_same_dict() -> None:
    state = Counter(count=2)
    decision = Change(state, records=[{"id": "r"}]).decision()
    assert decision == Decision(state={"count": 2}, events=(), records=[{"id": "r"}])
    assert decision.state is state
    assert Change[Counter](None).decision() == Decision(state=None)


@pytest.mark.unit
def test_an_announced_change_puts_each_event_in_an_envelope() -> None:
    withdrawn = ParticipantWithdrawn(participant_id="p1", reason="r")
    change = Change.announced(Counter(count=1), [withdrawn], "svc")
    assert change.state == {"count": 1}
    assert [(e.event, e.source) for e in change.events] == [(withdrawn, "/mentornet/svc")]


@pytest.mark.unit
def test_typed_and_untyped_are_the_same_object() -> None:
    stored: dict[str, Any] = {"count": 1}
    as_counter: Counter | None = typed(stored)
    assert as_counter is stored
    assert untyped(as_counter) is stored


@pytest.mark.unit
def test_changed_says_whether_it_wrote() -> None:
    assert Changed[Counter](Outcome.APPLIED, 1, Counter(count=1)).wrote
    assert not Changed[Counter](Outcome.UNCHANGED, 1, None).wrote
    assert not Changed[Counter](Outcome.DUPLICATE, 1, None).wrote


@pytest.mark.unit
def test_changed_answers_as_the_chassis_store_does() -> None:
    state = Counter(count=3)
    applied = Changed(Outcome.APPLIED, 4, state).untyped()
    assert applied == Applied(Outcome.APPLIED, 4, {"count": 3})
    assert applied.state is state


@pytest.mark.integration
async def test_apply_writes_and_returns_the_typed_document(counters: Documents[Counter]) -> None:
    changed = await counters.apply("a1", bump, handled="evt-1")
    assert changed.wrote
    assert changed.version == 1
    assert changed.state == {"name": "c", "count": 1}
    assert [e.type for e in changed.emitted] == [ParticipantWithdrawn.event_type]
    assert await counters.get("a1") == {"name": "c", "count": 1}
    doc = await counters.store.collection.find_one({"_id": "a1"})
    assert doc is not None
    assert doc["inbox"] == ["evt-1"]
    assert len(doc["outbox"]) == 1


@pytest.mark.integration
async def test_apply_passes_handled_and_new_likely_through(counters: Documents[Counter]) -> None:
    await counters.apply("a1", bump, handled="evt-1", new_likely=True)
    again = await counters.apply("a1", bump, handled="evt-1", new_likely=True)
    assert again.outcome is Outcome.DUPLICATE
    assert not again.wrote
    assert again.state == {"name": "c", "count": 1}
    unchanged = await counters.apply("a1", leave)
    assert unchanged.outcome is Outcome.UNCHANGED
    assert unchanged.version == 1


@pytest.mark.integration
async def test_change_returns_the_document_as_it_now_is(counters: Documents[Counter]) -> None:
    assert await counters.change("a1", bump) == {"name": "c", "count": 1}
    assert await counters.change("a1", bump) == {"name": "c", "count": 2}
    assert await counters.change("a1", leave) == {"name": "c", "count": 2}
    assert await counters.change("none", leave) is None
    assert await counters.get("none") is None


@pytest.mark.integration
async def test_find_and_find_one_read_the_state_field(counters: Documents[Counter]) -> None:
    await counters.change("a1", bump)
    await counters.change("a2", bump)
    await counters.change("a2", bump)
    assert sorted(c["count"] for c in await counters.find({"state.name": "c"})) == [1, 2]
    assert await counters.find({"state.name": "other"}) == []
    assert await counters.find_one({"state.count": 2}) == {"name": "c", "count": 2}
    assert await counters.find_one({"state.count": 9}) is None


@pytest.mark.integration
async def test_updating_a_typed_store_hands_typed_documents(counters: Documents[Counter]) -> None:
    seen: list[Counter] = []

    def counted(state: Counter | None, event: ParticipantWithdrawn) -> Counter:
        return Counter(name=event.participant_id, count=(state or {}).get("count", 0) + 1)

    async def then(envelope: Any, state: Counter) -> None:
        seen.append(state)

    handle = updating(counters, counted, then)
    envelope = new_envelope(ParticipantWithdrawn(participant_id="p1", reason="r"), "t")
    await handle(envelope)
    await handle(envelope)
    assert seen == [{"name": "p1", "count": 1}, {"name": "p1", "count": 1}]
    assert await counters.get(envelope.subject) == {"name": "p1", "count": 1}


@pytest.mark.integration
async def test_firing_a_typed_store_applies_the_due_work(counters: Documents[Counter]) -> None:
    def due(state: Counter, now: datetime) -> tuple[Counter, list[Event]]:
        return Counter(count=state.get("count", 0) + 10, due_epoch=None), []

    await counters.change("a1", lambda s: Change(Counter(count=1, due_epoch=1.0)))
    await firing(counters, due, "t")("a1", datetime.now(UTC))
    assert await counters.get("a1") == {"count": 11, "due_epoch": None}


@pytest.mark.integration
async def test_an_async_decision_is_awaited(counters: Documents[Counter]) -> None:
    async def later(state: Counter | None) -> Change[Counter]:
        return Change(Counter(count=(state or {}).get("count", 0) + 5))

    assert await counters.change("a1", later) == {"count": 5}
    assert await counters.change("a1", later) == {"count": 10}


@pytest.mark.integration
async def test_an_assumed_document_is_passed_through(counters: Documents[Counter]) -> None:
    await counters.change("a1", bump)
    seen = await counters.store.load("a1")
    changed = await counters.apply("a1", bump, assume=seen)
    assert changed.version == 2
    assert changed.state == {"name": "c", "count": 2}
