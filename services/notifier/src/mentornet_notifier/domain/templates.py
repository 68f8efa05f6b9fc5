"""The words of each kind of message: a subject and a body per kind, jinja2 in a
sandbox with StrictUndefined (a missing value fails the render instead of printing
nothing), given the program's name and times shown in the recipient's own zone
(`{{ starts_at | local }}`: "Tue 9 Mar 2027, 14:30 (Europe/Berlin)"). Every body ends
with the recipient's one-click unsubscribe link for that kind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from mentornet_contracts.events.notifications import NotificationKind as Kind

SIGNATURE = "\n\n--\n"
FOOTER = SIGNATURE + "{{ program }} via MentorNet. Stop these messages: {{ unsubscribe_url }}\n"
TEMPLATES: dict[Kind, tuple[str, str]] = {
    Kind.SESSION_BOOKED: (
        "{{ program }}: session booked for {{ starts_at | local }}",
        "Your mentoring session is booked for {{ starts_at | local }} ({{ minutes }} minutes)."
        " The calendar invitation is attached.",
    ),
    Kind.SESSION_RESCHEDULED: (
        "{{ program }}: session moved to {{ starts_at | local }}",
        "Your session on {{ previous_starts_at | local }} has moved to"
        " {{ starts_at | local }}. The updated invitation is attached.",
    ),
    Kind.SESSION_CANCELLED: (
        "{{ program }}: session on {{ starts_at | local }} cancelled",
        "Your session on {{ starts_at | local }} is cancelled."
        "{% if reason %} Reason: {{ reason }}.{% endif %}",
    ),
    Kind.SESSION_REMINDER: (
        "{{ program }}: reminder, session at {{ starts_at | local }}",
        "A reminder: your mentoring session starts at {{ starts_at | local }}"
        " ({{ minutes }} minutes).",
    ),
    Kind.FEEDBACK_REQUESTED: (
        "{{ program }}: how did your session go?",
        "Please share your feedback on your last session by {{ due_at | local }}.",
    ),
    Kind.FEEDBACK_REMINDER: (
        "{{ program }}: your feedback is overdue",
        "Your feedback on your last session was due {{ due_at | local }}; it takes a minute.",
    ),
    Kind.MATCH_PROPOSED: (
        "{{ program }}: a match is proposed to you",
        "We propose a mentoring match for you (fit {{ score }}%). Please review it and accept"
        " or decline.",
    ),
    Kind.STALL_NUDGE: (
        "{{ program }}: time to meet again?",
        "Your mentoring pair has been quiet lately. Book your next session to keep going.",
    ),
    Kind.ESCALATION_ASSIGNED: (
        "{{ program }}: case {{ case_id }} is yours ({{ severity }})",
        "Case {{ case_id }} ({{ trigger }}, asking for {{ action }}) is assigned to you;"
        " due {{ due_at | local }}.",
    ),
    Kind.MENTOR_INVITATION: (
        "{{ program }}: would you mentor others?",
        "You have grown in {{ skills }}. Would you become a mentor yourself?",
    ),
}


class TemplateFailed(Exception):
    """The message could not be rendered; its delivery is dead-lettered with the reason."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def local_time(at: datetime, zone: str) -> str:
    """`at` in `zone`: "Tue 9 Mar 2027, 14:30 (Europe/Berlin)"."""
    here = at.astimezone(ZoneInfo(zone))
    return f"{here:%a} {here.day} {here:%b %Y, %H:%M} ({zone})"


def render(kind: Kind, values: Mapping[str, Any], zone: str) -> Rendered:
    """The message in the recipient's zone; TemplateFailed naming what went wrong."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise TemplateFailed(f"unknown time zone {zone!r}") from exc
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.filters["local"] = lambda at: local_time(_aware(at), zone)
    subject, body = TEMPLATES[kind]
    try:
        text = env.from_string(body + FOOTER).render(**values)
        title = env.from_string(subject).render(**values)
    except (TemplateError, TypeError, ValueError) as exc:
        raise TemplateFailed(f"{kind.value} did not render: {exc}"[:480]) from exc
    return Rendered(" ".join(title.split())[:200], text)


def _aware(at: Any) -> datetime:
    if isinstance(at, str):
        return datetime.fromisoformat(at)
    if not isinstance(at, datetime):
        raise TypeError(f"not a time: {at!r}")
    return at


@dataclass(frozen=True)
class DigestItem:
    subject: str
    body: str
    unsubscribe_url: str


def render_digest(program: str, items: list[DigestItem], at: str, zone: str) -> Rendered:
    """One e-mail for the day's messages that could wait, each with its own link to stop
    messages like it."""
    count = len(items)
    subject = f"{program}: your daily digest ({count} update{'s' if count != 1 else ''})"
    parts = ["Here is what happened since your last digest.", ""]
    for n, item in enumerate(items, start=1):
        text = item.body.split(SIGNATURE)[0].strip()
        parts += [
            f"{n}. {item.subject}",
            text,
            f"Stop messages like this: {item.unsubscribe_url}",
            "",
        ]
    parts += [
        "--",
        f"{program} via MentorNet. Your digest comes once a day at {at} ({zone});"
        " change it or turn it off in your notification preferences.",
    ]
    return Rendered(" ".join(subject.split())[:200], "\n".join(parts) + "\n")
