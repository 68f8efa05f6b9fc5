"""Each kind's words: the program's name, times in the recipient's zone, the unsubscribe
link; a template that cannot render fails with the reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from mentornet_contracts.events.notifications import NotificationKind as Kind
from mentornet_notifier.domain.templates import TEMPLATES, TemplateFailed, local_time, render

pytestmark = pytest.mark.unit

AT = datetime(2027, 3, 9, 13, 30, tzinfo=UTC)
COMMON: dict[str, str | None] = {
    "program": "Eng 2027",
    "case_id": None,
    "unsubscribe_url": "http://x/unsubscribe?k=1",
}
VALUES = {
    "starts_at": AT,
    "previous_starts_at": AT,
    "minutes": 45,
    "due_at": AT,
    "reason": "",
    "score": 82,
    "trigger": "no_activity",
    "severity": "medium",
    "action": "nudge",
    "skills": "go",
}


def test_times_are_shown_in_the_persons_own_zone() -> None:
    assert local_time(AT, "Europe/Berlin") == "Tue 9 Mar 2027, 14:30 (Europe/Berlin)"
    assert local_time(AT, "Asia/Tokyo") == "Tue 9 Mar 2027, 22:30 (Asia/Tokyo)"


def test_a_booked_session_names_the_program_and_the_local_time() -> None:
    words = render(Kind.SESSION_BOOKED, {**VALUES, **COMMON}, "America/New_York")
    assert words.subject == "Eng 2027: session booked for Tue 9 Mar 2027, 08:30 (America/New_York)"
    assert "45 minutes" in words.body
    assert "http://x/unsubscribe?k=1" in words.body


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_renders_with_an_unsubscribe_link(kind: Kind) -> None:
    assert kind in TEMPLATES
    words = render(kind, {**VALUES, **COMMON, "case_id": "esc-1"}, "Europe/Berlin")
    assert words.subject.startswith("Eng 2027")
    assert "http://x/unsubscribe?k=1" in words.body


def test_a_missing_value_fails_the_render_with_the_reason() -> None:
    with pytest.raises(TemplateFailed, match="minutes"):
        render(Kind.SESSION_REMINDER, {"starts_at": AT, **COMMON}, "UTC")


def test_an_unknown_zone_fails_the_render() -> None:
    with pytest.raises(TemplateFailed, match="time zone"):
        render(Kind.SESSION_REMINDER, {**VALUES, **COMMON}, "Mars/Olympus")
