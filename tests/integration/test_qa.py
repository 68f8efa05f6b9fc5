"""QA on the real broker and store: held sessions are sampled and reviewed (the rubric
checked, nobody reviewing their own session), risks open one case per match that
coordinators claim and resolve, and the dashboard, opened in headless Chromium, shows
the figures its JSON API gives."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from mentornet_contracts.catalogue import QA
from mentornet_contracts.events.feedback import FeedbackSubmitted, RiskFlag, RiskFlagged, RiskSource
from mentornet_contracts.events.matches import MatchConfirmed, MatchProposed
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_contracts.events.sessions import (
    Attendance,
    SessionCompleted,
    SessionMissed,
    SessionScheduled,
)
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.kafka import all_records, find_records, kind_of
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.conftest import ServiceOn
from tests.support.events import person, program, publish
from tests.support.helpers import token

pytestmark = pytest.mark.integration

NOW = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
RUBRIC = {"relevance": 4, "clarity": 4, "specificity": 3, "accountability": 5, "confidence_gain": 4}


async def qa_events(stack: Endpoints, key: str, kind: str, count: int = 1) -> list[dict[str, Any]]:
    records = await find_records(
        stack.bootstrap_servers,
        QA.name,
        lambda r: r.key == key.encode() and kind_of(r) == kind,
        count=count,
        timeout=30,
    )
    return [json.loads(r.value) for r in records]


def session(
    sid: str, match_id: str, program_id: str, mentor: str, mentee: str, at: datetime
) -> SessionScheduled:
    return SessionScheduled.model_validate(
        {
            "session_id": sid,
            "match_id": match_id,
            "program_id": program_id,
            "mentor_id": mentor,
            "mentee_id": mentee,
            "session_type": "regular",
            "starts_at": at.isoformat(),
            "duration_minutes": 60,
            "local_times": [],
        }
    )


async def a_program(
    stack: Endpoints, unique: str, pairs: int = 2, **rules: Any
) -> list[tuple[str, str, str]]:
    """A published program (coordinator `coord-<unique>`) with confirmed pairs."""
    program_id = f"prog-{unique}"
    published = program(program_id).model_copy(
        update={"coordinator_ids": (f"coord-{unique}",), **rules}
    )
    events: list[Any] = [published]
    found = []
    for n in range(pairs):
        mentor, mentee, match_id = f"mentor{n}-{unique}", f"mentee{n}-{unique}", f"m{n}-{unique}"
        found.append((match_id, mentor, mentee))
        events += [
            person(
                MentorRegistered, mentor, program_id, skills=[{"skill_id": "python", "level": 5}]
            ),
            person(MenteeRegistered, mentee, program_id),
            MatchProposed(
                match_id=match_id,
                mentee_id=mentee,
                mentor_id=mentor,
                program_id=program_id,
                score=0.8,
                explanation=(),
            ),
            MatchConfirmed(
                match_id=match_id, mentee_id=mentee, mentor_id=mentor, program_id=program_id
            ),
        ]
    await publish(stack, *events, at=NOW)
    return found


async def confirmed_in_qa(qa: RunningService, unique: str, pairs: int) -> None:
    """Waits until QA has applied every pair's match.confirmed. A match.proposed parked
    until its program arrives on another topic is applied late; a test that moves the
    clock before then sees the proposal's acceptance timer fire first (a case for a
    proposal nobody answered), which is right for a proposal that late but not what the
    test is about."""

    async def all_active() -> bool:
        health = await coordinator_sees(qa, unique, f"/programs/prog-{unique}/health")
        return bool(health.get("matching", {}).get("active_matches") == pairs)

    await eventually(all_active, what=f"{pairs} confirmed matches in QA")


async def coordinator_sees(qa: RunningService, unique: str, path: str) -> dict[str, Any]:
    answer = await qa.http.get(
        path, headers=token(f"coord-{unique}", "coordinator", programs=[f"prog-{unique}"])
    )
    body: dict[str, Any] = answer.json()
    return body


async def test_held_sessions_are_sampled_and_reviewed_on_the_rubric(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    """At a sample rate of 0 the mentor's only session is still sampled, for coverage,
    once the month closes."""
    coordinator = token(f"coord-{unique}", "coordinator", programs=[f"prog-{unique}"])
    reviewer = token("qa-1", "reviewer", programs=[f"prog-{unique}"])
    clock = MovableClock(NOW)
    async with qa_on(clock) as qa:
        [(match_id, mentor, mentee), *_] = await a_program(
            stack, unique, pairs=1, qa_sample_rate=0.0
        )
        await confirmed_in_qa(qa, unique, pairs=1)
        sid = f"s-{unique}"
        await publish(
            stack,
            session(sid, match_id, f"prog-{unique}", mentor, mentee, NOW - timedelta(days=1)),
            SessionCompleted(session_id=sid, match_id=match_id, attendance=Attendance.ATTENDED),
            at=NOW,
        )
        march = f"/programs/prog-{unique}/sampling/2027-03"

        async def seen_open() -> dict[str, Any] | None:
            answer = await qa.http.get(march, headers=coordinator)
            return answer.json()["replay"] if answer.status_code == 200 else None

        not_yet = await eventually(seen_open, what="the session in March's sampling")
        assert not_yet == {"sessions": 1, "sampled": 0, "closed": False, "same_as_recorded": True}
        clock.advance(days=25)
        [selected] = await qa_events(stack, match_id, "qa.sample.selected")
        sample_id = selected["sample_id"]

        async def listed() -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = (
                await coordinator_sees(qa, unique, f"/programs/prog-{unique}/samples")
            )["samples"]
            return found

        assert [s["sample_id"] for s in await eventually(listed, what="the sample")] == [sample_id]
        url = f"/samples/{sample_id}/reviews"
        body = {"rubric": RUBRIC, "outcome": "escalated", "comment": "off topic"}
        own = await qa.http.post(
            url, json=body, headers=token(mentor, "reviewer", programs=[f"prog-{unique}"])
        )
        assert own.status_code == 403
        elsewhere = await qa.http.post(
            url, json=body, headers=token("qa-2", "reviewer", programs=["elsewhere"])
        )
        assert elsewhere.status_code == 403
        bad = await qa.http.post(url, json={**body, "rubric": {"clarity": 4}}, headers=reviewer)
        assert (bad.status_code, bad.json()["field"]) == (422, "body.rubric")
        not_a_reviewer = await qa.http.post(url, json=body, headers=token("x", "coordinator"))
        assert not_a_reviewer.status_code == 403
        ok = await qa.http.post(url, json=body, headers=reviewer)
        assert ok.status_code == 201, ok.text
        [completed] = await qa_events(stack, match_id, "qa.review.completed")
        assert completed["rubric"] == RUBRIC
        [raised] = await qa_events(stack, match_id, "escalation.raised")
        assert raised["trigger"] == "qa_review"
        period = await coordinator_sees(qa, unique, march)
        assert period["replay"] == {
            "sessions": 1,
            "sampled": 1,
            "closed": True,
            "same_as_recorded": True,
        }
        assert [d["reason"] for d in period["decisions"]] == ["covers the mentor for the period"]


async def test_risks_open_one_case_per_match_that_a_coordinator_claims_and_resolves(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    async with qa_on(MovableClock(NOW)) as qa:
        [(match_id, _, _), *_] = await a_program(stack, unique, pairs=1)
        flag = RiskFlagged(
            match_id=match_id, flag=RiskFlag.WELLBEING_CONCERN, source=RiskSource.REPORT
        )
        await publish(
            stack,
            flag,
            RiskFlagged(match_id=match_id, flag=RiskFlag.DISENGAGED, source=RiskSource.REPORT),
            at=NOW,
        )
        [raised] = await qa_events(stack, match_id, "escalation.raised")
        assert (raised["trigger"], raised["severity"], raised["owner_id"]) == (
            "risk_flag",
            "high",
            f"coord-{unique}",
        )

        async def case_listed() -> list[dict[str, Any]]:
            cases: list[dict[str, Any]] = (
                await coordinator_sees(qa, unique, f"/programs/prog-{unique}/cases")
            )["cases"]
            return [c for c in cases if len(c["triggers"]) == 2]

        [case] = await eventually(case_listed, what="one case with both triggers")
        assert case["case_id"] == raised["case_id"]
        every_case = f"/programs/prog-{unique}/cases?status=all"
        listed = (await coordinator_sees(qa, unique, every_case))["cases"]
        assert [(c["case_id"], c["status"]) for c in listed] == [(case["case_id"], "open")]
        coordinator = token(f"coord-{unique}", "coordinator", programs=[f"prog-{unique}"])
        outsider = token("c2", "coordinator", programs=["elsewhere"])
        assert (
            await qa.http.post(f"/cases/{case['case_id']}/claim", headers=outsider)
        ).status_code == 403
        claimed = await qa.http.post(f"/cases/{case['case_id']}/claim", headers=coordinator)
        assert claimed.json()["owner_id"] == f"coord-{unique}"
        resolve = {"resolution": "back_on_track", "note": "spoke to both"}
        done = await qa.http.post(
            f"/cases/{case['case_id']}/resolve", json=resolve, headers=coordinator
        )
        assert done.status_code == 200, done.text
        again = await qa.http.post(
            f"/cases/{case['case_id']}/resolve", json=resolve, headers=coordinator
        )
        assert again.status_code == 409
        [resolved] = await qa_events(stack, match_id, "escalation.resolved")
        assert resolved["resolution"] == "back_on_track"
        listed = (await coordinator_sees(qa, unique, every_case))["cases"]
        assert [(c["case_id"], c["status"]) for c in listed] == [(case["case_id"], "resolved")]
        announced = await all_records(
            stack.bootstrap_servers,
            QA.name,
            lambda r: r.key == match_id.encode() and kind_of(r).startswith("escalation."),
        )
        assert [(kind_of(r), json.loads(r.value)["case_id"]) for r in announced] == [
            ("escalation.raised", case["case_id"]),
            ("escalation.resolved", case["case_id"]),
        ], "every escalation event of the match, read to the end of the topic"


def _figures(dom: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="([^"]+)" data-value="([^"]*)"', dom))


def _at(health: dict[str, Any], path: str) -> Any:
    value: Any = health
    for part in path.split("."):
        value = value[part]
    return value


async def chromium(*args: str) -> bytes:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary, "Debian chromium is needed (.ci/run installs it)"
    with tempfile.TemporaryDirectory() as profile:
        proc = await asyncio.create_subprocess_exec(
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        out, _ = await asyncio.wait_for(proc.communicate(), timeout=90)
    return out


async def test_the_dashboard_in_headless_chromium_shows_the_json_apis_figures(
    stack: Endpoints, qa_on: ServiceOn, unique: str, tmp_path: Path
) -> None:
    async with qa_on(MovableClock(NOW)) as qa:
        pairs = await a_program(stack, unique, pairs=3, qa_sample_rate=0.5)
        events: list[Any] = []
        for n, (match_id, mentor, mentee) in enumerate(pairs):
            for k in range(3):
                sid = f"s{n}{k}-{unique}"
                events.append(
                    session(
                        sid,
                        match_id,
                        f"prog-{unique}",
                        mentor,
                        mentee,
                        NOW - timedelta(days=20 - 7 * k),
                    )
                )
                if (n + k) % 3:
                    events.append(
                        SessionCompleted(
                            session_id=sid, match_id=match_id, attendance=Attendance.ATTENDED
                        )
                    )
                    events.append(
                        FeedbackSubmitted.model_validate(
                            {
                                "request_id": f"fr{n}{k}-{unique}",
                                "match_id": match_id,
                                "session_id": sid,
                                "participant_id": mentee,
                                "role": "mentee",
                                "rubric": {"clarity": 3 + (k % 2), "relevance": 4},
                                "rating": 4,
                            }
                        )
                    )
                else:
                    events.append(
                        SessionMissed(
                            session_id=sid, match_id=match_id, absent=("mentee",), missed_in_a_row=1
                        )
                    )
        events.append(
            RiskFlagged(match_id=pairs[0][0], flag=RiskFlag.OFF_TRACK, source=RiskSource.REPORT)
        )
        await publish(stack, *events, at=NOW)

        async def settled() -> dict[str, Any] | None:
            """Facts arrive on four topics in no set order: wait for all of them."""
            health = await coordinator_sees(qa, unique, f"/programs/prog-{unique}/health")
            if "attendance" not in health:
                return None
            seen = {
                path: _at(health, path)
                for path in (
                    "attendance.held",
                    "attendance.missed",
                    "escalations.open",
                    "matching.active_matches",
                    "matching.mentees",
                    "utilisation.mentors",
                    "rubric.responses",
                )
            }
            wanted = [6, 3, 1, 3, 3, 3, 6]
            return health if list(seen.values()) == wanted else None

        await eventually(settled, timeout=30, what="QA to take in every event")
        link = (await coordinator_sees(qa, unique, f"/programs/prog-{unique}/dashboard-link"))[
            "url"
        ]
        page = (
            f"http://{qa.settings.http_host}:{qa.settings.http_port}"
            + link[link.index("/programs/") :]
        )
        shot = tmp_path / "dashboard.png"
        await chromium("--window-size=1280,1800", f"--screenshot={shot}", page)
        assert shot.stat().st_size > 10_000
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

        async def page_and_health_agree() -> dict[str, str] | None:
            """The page against the JSON read right after it (a QA sample may still be
            landing): every figure on the page is the API's."""
            shown = _figures((await chromium("--dump-dom", page)).decode())
            health = await coordinator_sees(qa, unique, f"/programs/prog-{unique}/health")
            expected = {path: _at(health, path) for path in shown}
            same = all(shown[p] == ("" if v is None else str(v)) for p, v in expected.items())
            return shown if same else None

        shown = await eventually(page_and_health_agree, timeout=60, what="page = health JSON")
        assert {
            "matching.active_matches",
            "attendance.attendance_rate",
            "rubric.average",
            "escalations.open",
        } <= set(shown)
        assert shown["matching.active_matches"] == "3"
        assert shown["escalations.open"] == "1"
        forged = await qa.http.get(f"/programs/prog-{unique}/dashboard?expires=9999999999&key=00")
        assert forged.status_code == 403
