"""The workflow facts QA keeps on a match, typed, with the times it handled them: the
session reports filed and how many action items each agreed, the items completed, and
the feedback requests with when they were asked, due and first answered. They feed
the weekly follow-up and feedback-response indicators (series_workflow.py).

Times and counts only: no participant id, no free text, no score. Nothing here names a
person, so erasure (usecases/erasure.py) has nothing to take out of these records;
the keys are the feedback service's own report, item and request ids.

Each record is kept under its own id, so a fact delivered again changes nothing, and
what a match keeps is bounded by its sessions (a report per session, its items, a
request per person per session). Documents written before these keys existed lack
them: every key is optional."""

from __future__ import annotations

from typing import NotRequired, TypedDict


class ReportFiled(TypedDict):
    """A session report (session.report.filed) and the action items it agreed."""

    at: str
    count: int


class ItemDone(TypedDict):
    """An action item completed (action.item.completed)."""

    at: str
    report_id: str
    """The report that agreed it."""
    on_time: bool
    """Done by its due date."""


class FeedbackAsked(TypedDict):
    """A feedback request (feedback.requested) and its first answer's time."""

    requested_at: str
    due_at: str
    answered_at: NotRequired[str]
    """When the first answer (feedback.submitted, revision or not) arrived; a
    revision keeps it."""


class MatchWorkflow(TypedDict):
    """The workflow facts part of QA's view of a match (documents.Match)."""

    reports: NotRequired[dict[str, ReportFiled]]
    """By report id."""
    items_completed: NotRequired[dict[str, ItemDone]]
    """By action item id."""
    requests: NotRequired[dict[str, FeedbackAsked]]
    """By feedback request id."""
