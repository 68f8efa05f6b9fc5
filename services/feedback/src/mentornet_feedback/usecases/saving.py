"""Saving a change to a match: alone (`change`), or with words (answers, a report):
the words in the `texts` collection, the rest in the match, which names the words it
accepted.

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

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mentornet_chassis.errors import NotFound, Refusal
from mentornet_chassis.store.typed import Change
from mentornet_contracts import Event

from ..domain.state import Match
from ..domain.written import Body
from ..store import FeedbackStores
from .common import SERVICE, Parts

Step = Callable[[Match], tuple[Match, Sequence[Event]]]
"""The domain's change; raises a refusal (mentornet_chassis.errors) to refuse it."""
Named = Callable[[Match], str | None]
"""The id of the words that the changed part of a match names, if any."""


@dataclass(frozen=True)
class Words:
    text_id: str
    author_id: str
    body: Body


def _deciding(match_id: str, step: Step) -> Callable[[Match | None], Change[Match]]:
    def decide(state: Match | None) -> Change[Match]:
        if state is None:
            raise NotFound("match_id", f"no match {match_id} here")
        return Change.announced(*step(state), SERVICE)

    return decide


async def change(parts: Parts, match_id: str, step: Step) -> Match:
    """The match as `step` changed it, saved, its events on their way."""
    written = await parts.stores.match_states.change(match_id, _deciding(match_id, step))
    parts.wake_relay()
    assert written is not None
    return written


async def save_with_words(
    parts: Parts, match: Match, words: Words, step: Step, named: Named
) -> Match:
    """The match as saved, its events on their way; raises the domain's refusal if it
    refused."""
    stores = parts.stores
    step(match)
    match_id = match["match_id"]
    await stores.texts.put(words.text_id, words.author_id, match_id, words.body)
    replaced: str | None = None

    def naming(state: Match) -> tuple[Match, Sequence[Event]]:
        nonlocal replaced
        replaced = named(state)
        return step(state)

    try:
        written = await stores.match_states.change(match_id, _deciding(match_id, naming))
    except Refusal:
        await _discard_unless_named(stores, match_id, words.text_id, named)
        raise
    if replaced is not None and replaced != words.text_id:
        await stores.texts.delete([replaced])
    parts.wake_relay()
    assert written is not None
    return written


async def _discard_unless_named(
    stores: FeedbackStores, match_id: str, text_id: str, named: Named
) -> None:
    state = await stores.match(match_id)
    if state is None or named(state) != text_id:
        await stores.texts.delete([text_id])


def request_words(request_id: str) -> Named:
    def named(state: Match) -> str | None:
        found = state["requests"].get(request_id)
        return found.get("text_id") if found else None

    return named


def report_words(report_id: str) -> Named:
    def named(state: Match) -> str | None:
        found = state["reports"].get(report_id)
        return found.get("text_id") if found else None

    return named
