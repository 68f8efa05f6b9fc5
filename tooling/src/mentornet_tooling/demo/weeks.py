"""A simulated week: the shared clock moves on, then people do what they would have
done that week: mentors record attendance of the sessions that took place, both sides
answer their feedback requests, mentors file reports with action items, mentees
complete some of them. A few pairs keep missing sessions, so the stall playbook runs."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from mentornet_chassis.process.clock import FileClock

from mentornet_tooling import simclock
from mentornet_tooling.demo.client import Api, Json, until
from mentornet_tooling.demo.enrolment import Program
from mentornet_tooling.demo.matching import confirmed

ANSWER_SHARE = 0.85
REPORT_SHARE = 0.5
STEPS_PER_WEEK = 4
STEP = timedelta(days=7) / STEPS_PER_WEEK
"""42 hours: shorter than the time after which a session without attendance counts as missed
(72 h), as mentors record attendance within a day or two."""
SETTLE_S = 1.5
"""Time for timers (the local stack polls them every second) and consumers to act."""


@dataclass
class Tally:
    attended: int = 0
    missed: int = 0
    answers: int = 0
    reports: int = 0
    items_done: int = 0
    stalling: set[str] = field(default_factory=set)
    """Mentees who stop turning up: their matches stall and are escalated."""
    next_end: dict[str, datetime] = field(default_factory=dict)
    """Per match, when its next booked session ends: no need to look before then."""
    asked: dict[str, int] = field(default_factory=dict)
    """People who just held a session, and how many more steps to look for requests."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    """People act at the same time (Api.each): their counts are added under it."""

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


def next_week(
    api: Api,
    programs: list[Program],
    rng: random.Random,
    tally: Tally,
    stepped: Callable[[int], None] = lambda done: None,
) -> datetime:
    """A week in steps of STEP; returns the new "now". `stepped` hears each step done."""
    now = FileClock(api.cfg.clock_file)()
    for n in range(STEPS_PER_WEEK):
        now = simclock.advance(api.cfg.clock_file, STEP)
        time.sleep(SETTLE_S)
        _step(api, programs, now, rng, tally)
        stepped(n + 1)
    return now


def _step(
    api: Api, programs: list[Program], now: datetime, rng: random.Random, tally: Tally
) -> None:
    for program in programs:
        template = api.get("feedback", f"/programs/{program.program_id}/survey-template")
        due = [
            (match, random.Random(rng.random()))
            for match in confirmed(api, program)
            if tally.next_end.get(match["match_id"], now) <= now
        ]
        api.each(lambda job: _attend(api, job[0], now, job[1], tally), due)
        asking = [(p, random.Random(rng.random())) for p in program.people if p in tally.asked]
        api.each(partial(_answering, api, template, tally), asking)
        for person, _ in asking:
            tally.asked[person] -= 1
            if tally.asked[person] <= 0:
                del tally.asked[person]


def _answering(api: Api, template: Json, tally: Tally, job: tuple[str, random.Random]) -> None:
    person, rng = job
    _answer_requests(api, person, template, rng, tally)


def _ends(session: Json) -> datetime:
    start = datetime.fromisoformat(session["starts_at"])
    return start + timedelta(minutes=session["duration_minutes"])


def _sessions(api: Api, match_id: str) -> list[Json]:
    """The match's sessions, once the scheduler has heard it was confirmed: the matcher
    says so first, and the scheduler books sessions for confirmations in turn, so right
    after a burst of them it can be seconds behind (404 until then)."""
    path = f"/matches/{match_id}/sessions"
    found: list[Json] = []

    def known() -> bool:
        answer = api.call("GET", "scheduler", path, allow=(404,))
        found[:] = answer.get("sessions", [])
        return "sessions" in answer

    until(f"the scheduler to know match {match_id}", known, timeout_s=60)
    return found


def _attend(api: Api, match: Json, now: datetime, rng: random.Random, tally: Tally) -> None:
    sessions = _sessions(api, match["match_id"])
    upcoming = [_ends(s) for s in sessions if s["status"] == "scheduled" and _ends(s) > now]
    tally.next_end[match["match_id"]] = min(upcoming, default=now + timedelta(days=7))
    for session in sessions:
        if session["status"] != "scheduled" or session["attendance"] or _ends(session) > now:
            continue
        outcome = _outcome(match, rng, tally)
        answer = api.post(
            "scheduler",
            f"/sessions/{session['session_id']}/attendance",
            {"attendance": outcome},
            as_=(match["mentor_id"], "mentor"),
            allow=(409, 422),
        )
        if "error" in answer:
            continue
        if outcome == "attended":
            tally.add(attended=1)
            with tally.lock:
                tally.asked.update({match["mentee_id"]: 2, match["mentor_id"]: 2})
            _report(api, match, session, now, rng, tally)
        else:
            tally.add(missed=1)


def _outcome(match: Json, rng: random.Random, tally: Tally) -> str:
    if match["mentee_id"] in tally.stalling:
        return "mentee_no_show"
    return "attended" if rng.random() < 0.92 else rng.choice(("mentee_no_show", "mentor_no_show"))


def _report(
    api: Api, match: Json, session: Json, now: datetime, rng: random.Random, tally: Tally
) -> None:
    if rng.random() > REPORT_SHARE:
        return
    due = (now + timedelta(days=10)).date().isoformat()
    body = {
        "agenda": ["Progress on the goal", "Next steps"],
        "notes": "Worked through the plan; next time a concrete example.",
        "action_items": [{"text": "Try the approach on a real task", "due_date": due}],
        "risk_flags": ["off_track"] if rng.random() < 0.05 else [],
    }
    filed = api.post(
        "feedback",
        f"/sessions/{session['session_id']}/report",
        body,
        as_=(match["mentor_id"], "mentor"),
        allow=(404, 409, 422),
    )
    if "error" in filed:
        return
    tally.add(reports=1)
    for item in filed.get("action_items", []):
        if rng.random() < 0.7:
            done = api.post(
                "feedback",
                f"/action-items/{item['item_id']}/complete",
                as_=(match["mentee_id"], "mentee"),
                allow=(404, 409),
            )
            tally.add(items_done="error" not in done)


def _answer_requests(
    api: Api, person: str, template: Json, rng: random.Random, tally: Tally
) -> None:
    requests = api.call(
        "GET", "feedback", f"/participants/{person}/feedback-requests", as_=(person, "mentee")
    )
    for request in requests.get("requests", []):
        if request["status"] != "open" or rng.random() > ANSWER_SHARE:
            continue
        answers = _answers(template, request["role"], rng)
        sent = api.post(
            "feedback",
            f"/feedback-requests/{request['request_id']}/answers",
            {"template_version": request["template_version"], "answers": answers},
            as_=(person, request["role"]),
            allow=(409, 422),
        )
        tally.add(answers="error" not in sent)


def _answers(template: Json, role: str, rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in template["questions"]:
        if question["audience"] not in (role, "both"):
            continue
        kind = question["kind"]
        if kind in ("rating", "rubric"):
            answers[question["id"]] = rng.choices((2, 3, 4, 5), weights=(1, 3, 5, 4))[0]
        elif kind == "single" and question["options"]:
            answers[question["id"]] = rng.choice(question["options"])
        elif kind == "multiple" and question["options"]:
            answers[question["id"]] = [question["options"][0]]
        elif kind == "text" and question["visibility"] == "shared":
            answers[question["id"]] = "Clear next steps; good examples."
    return answers
