"""Saving a change to a match that comes with words (answers, a report): the words in
the `texts` collection, the rest in the match, which names the words it accepted.

The order: the domain's checks on the match as read, then the words, then the match.

- Checks first: answers after the lock, to a closed request or by someone else, and
  a second report for a session, are refused before anything is written, so they
  never touch the words already accepted.
- Words before the match: the match names its words by an id derived from them
  (written.text_id), so once the match is written its words are there. Had the match
  gone first, a crash between the two writes would leave an accepted answer or
  report whose words are lost, and a retry after the lock could not bring them back.
- If the process dies between the two, the words are an orphan no match names, so no
  view shows them (views start from the match); a retry writes the same document
  again. If the match refuses after all (it changed since it was read: the request
  closed, the person was erased, another report won), the words are deleted unless
  the match names them. Words an edit replaced are deleted once the edit is saved.
- Other words can never replace accepted ones: different words have a different id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mentornet_chassis.store.aggregates import Decision, State
from mentornet_contracts import Event, new_envelope

from .domain.errors import Conflict, Missing, NotYours
from .domain.written import Body
from .store import FeedbackStores

SERVICE = "feedback"
Step = Callable[[State], tuple[State, list[Event]]]
"""The domain's change; raises Conflict, Missing or NotYours to refuse it."""
Named = Callable[[State], str | None]
"""The id of the words that the changed part of a match names, if any."""


@dataclass(frozen=True)
class Words:
    text_id: str
    author_id: str
    body: Body


async def save_with_words(
    stores: FeedbackStores, match: State, words: Words, step: Step, named: Named
) -> State:
    """The match as saved; raises the domain's refusal if it refused."""
    step(match)
    match_id = match["match_id"]
    await stores.texts.put(words.text_id, words.author_id, match_id, words.body)
    replaced: str | None = None

    def decide(state: State | None) -> Decision:
        nonlocal replaced
        if state is None:
            raise Missing("match_id", f"no match {match_id} here")
        replaced = named(state)
        changed, events = step(state)
        return Decision(changed, [new_envelope(e, SERVICE) for e in events])

    try:
        applied = await stores.matches.apply(match_id, decide)
    except (Conflict, Missing, NotYours):
        await _discard_unless_named(stores, match_id, words.text_id, named)
        raise
    if replaced is not None and replaced != words.text_id:
        await stores.texts.delete([replaced])
    assert applied.state is not None
    return applied.state


async def _discard_unless_named(
    stores: FeedbackStores, match_id: str, text_id: str, named: Named
) -> None:
    state = await stores.matches.get_state(match_id)
    if state is None or named(state) != text_id:
        await stores.texts.delete([text_id])


def part(kind: str, part_id: str) -> Named:
    """`kind`: "requests" or "reports"."""

    def named(state: State) -> str | None:
        found: dict[str, Any] = state[kind].get(part_id) or {}
        return found.get("text_id")

    return named
