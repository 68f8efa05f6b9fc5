"""One store command for the reads and inserts that handlers ask for at the same time.

When a poll batch's records are handled side by side (messaging/lanes.py), each handler
still reads its aggregate and writes it as if alone. `Coalesced` gathers the calls made
in one turn of the event loop and sends them as one command: the reads as one `$in`
find, the inserts as one unordered insert_many. A caller gets exactly what its own
command would have given it: its document, or its own error (an insert the store
refuses fails only that insert). A grouped command that fails as a whole is sent again
one call at a time, so no caller gets another's error. Calls are gathered only within
`side_by_side()`; elsewhere each goes to the store at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Generic, TypeVar

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, DuplicateKeyError, WriteError

from mentornet_chassis.store.mongo import Document

SIDE_BY_SIDE: ContextVar[bool] = ContextVar("mentornet_side_by_side", default=False)
"""Set while records are handled side by side (messaging/lanes.py). Only then are calls
gathered: gathering costs a call two turns of the event loop, which a record handled on
its own would pay for nothing."""


@contextlib.contextmanager
def side_by_side() -> Iterator[None]:
    """Calls made by the tasks started within are gathered (tasks copy the context)."""
    token = SIDE_BY_SIDE.set(True)
    try:
        yield
    finally:
        SIDE_BY_SIDE.reset(token)


Key = TypeVar("Key", bound=Hashable)
Result = TypeVar("Result")

DUPLICATE_KEY = 11000


class Coalesced(Generic[Key, Result]):
    """Calls made in one loop turn are answered by one `together` call. `together`
    answers each key with its result or the exception that call alone would raise;
    if `together` itself raises for a group of several, each is answered by `alone`."""

    def __init__(
        self,
        together: Callable[[Sequence[Key]], Awaitable[Mapping[Key, Result | Exception]]],
        alone: Callable[[Key], Awaitable[Result]],
    ) -> None:
        self.together = together
        self.alone = alone
        self._waiting: list[tuple[Key, asyncio.Future[Result]]] = []
        self._sending: set[asyncio.Task[None]] = set()

    async def __call__(self, key: Key) -> Result:
        if not SIDE_BY_SIDE.get():
            return await self.alone(key)
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Result] = loop.create_future()
        self._waiting.append((key, answer))
        if len(self._waiting) == 1:
            loop.call_soon(self._send)
        return await answer

    def _send(self) -> None:
        group, self._waiting = self._waiting, []
        task = asyncio.ensure_future(self._answer(group))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _answer(self, group: list[tuple[Key, asyncio.Future[Result]]]) -> None:
        if len(group) == 1:
            await self._answer_alone(*group[0])
            return
        try:
            results = await self.together(list(dict.fromkeys(key for key, _ in group)))
        except Exception:
            await asyncio.gather(*(self._answer_alone(key, answer) for key, answer in group))
            return
        for key, answer in group:
            if answer.done():
                continue
            result = results[key]
            if isinstance(result, Exception):
                answer.set_exception(result)
            else:
                answer.set_result(result)

    async def _answer_alone(self, key: Key, answer: asyncio.Future[Result]) -> None:
        try:
            result = await self.alone(key)
        except Exception as exc:
            if not answer.done():
                answer.set_exception(exc)
            return
        if not answer.done():
            answer.set_result(result)


class CoalescedCollection:
    """`find_by_id` and `insert` on one collection, coalesced across concurrent callers."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection
        self.find_by_id: Coalesced[str, Document | None] = Coalesced(
            self._find_many, self._find_one
        )
        self._inserts: dict[int, Document] = {}
        self._insert: Coalesced[int, None] = Coalesced(self._insert_many, self._insert_one)

    async def insert(self, doc: Document) -> None:
        """Insert `doc`; DuplicateKeyError as insert_one would raise it."""
        token = id(doc)
        self._inserts[token] = doc
        try:
            await self._insert(token)
        finally:
            self._inserts.pop(token, None)

    async def _find_one(self, aggregate_id: str) -> Document | None:
        return await self.collection.find_one({"_id": aggregate_id})

    async def _find_many(self, ids: Sequence[str]) -> dict[str, Document | Exception | None]:
        found: dict[str, Document | Exception | None] = dict.fromkeys(ids)
        async for doc in self.collection.find({"_id": {"$in": list(ids)}}):
            found[str(doc["_id"])] = doc
        return found

    async def _insert_one(self, token: int) -> None:
        await self.collection.insert_one(self._inserts[token])

    async def _insert_many(self, tokens: Sequence[int]) -> dict[int, Exception | None]:
        docs = [self._inserts[token] for token in tokens]
        answers: dict[int, Exception | None] = dict.fromkeys(tokens)
        try:
            await self.collection.insert_many(docs, ordered=False)
        except BulkWriteError as exc:
            for error in exc.details.get("writeErrors", []):
                kind = DuplicateKeyError if error.get("code") == DUPLICATE_KEY else WriteError
                message = str(error.get("errmsg", "write refused"))
                answers[tokens[error["index"]]] = kind(message, error.get("code"), error)
        return answers
