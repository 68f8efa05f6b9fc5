"""The base every MentorNet event model derives from."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

EVENT_TYPE_PATTERN = re.compile(r"^mentornet\.[a-z_]+(\.[a-z_]+)+\.v(?P<version>[1-9][0-9]*)$")


class Event(BaseModel):
    """An immutable fact. Subclasses set `event_type` and `key_field`.

    `event_type` carries the major version (`mentornet.match.proposed.v2`); `key_field`
    names the field holding the aggregate id, which becomes the record key and ce_subject.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    key_field: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if event_type is not None and not EVENT_TYPE_PATTERN.match(event_type):
            raise ValueError(
                f"{cls.__name__}.event_type {event_type!r} must look like "
                "'mentornet.<aggregate>.<fact>.v<N>'"
            )

    @classmethod
    def version(cls) -> int:
        match = EVENT_TYPE_PATTERN.match(cls.event_type)
        assert match is not None
        return int(match.group("version"))

    @classmethod
    def unversioned_type(cls) -> str:
        return cls.event_type.rsplit(".", 1)[0]

    def aggregate_id(self) -> str:
        return str(getattr(self, self.key_field))
