"""Small helpers shared by the cross-service tests."""

from __future__ import annotations


def mentee_body(unique: str, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "program_id": f"prog-{unique}",
        "display_name": "Ada Lovelace",
        "email": f"ada-{unique}@example.org",
        "languages": ["en"],
    }
    body.update(overrides)
    return body


def consumed(metrics_text: str, event_type: str, outcome: str) -> float:
    """The mentornet_events_consumed_total sample for one type and outcome, or 0."""
    prefix = (
        'mentornet_events_consumed_total{event_type="'
        + event_type
        + '",outcome="'
        + outcome
        + '"} '
    )
    for line in metrics_text.splitlines():
        if line.startswith(prefix):
            return float(line[len(prefix) :])
    return 0.0
