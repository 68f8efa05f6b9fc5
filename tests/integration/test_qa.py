"""QA on the real broker and store: held sessions are sampled and reviewed (the rubric
checked, nobody reviewing their own session), risks open one case per match that
coordinators claim and resolve; every dashboard figure answers the same rows as JSON,
as CSV and by a signed link, the page in headless Chromium shows each figure as its
JSON, forged or expired links are refused and a sponsor sees only their programs."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from mentornet_chassis.process.signed_links import SignedLinks
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
from mentornet_qa.usecases.figures import FIGURES
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.kafka import all_records, find_records, kind_of
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.conftest import ServiceOn
from tests.support.dashboard_browser import Look, disagreements, local_time, looks
from tests.support.events import person, program, publish
from tests.support.helpers import SERVICE, token

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


def _at(health: dict[str, Any], path: str) -> Any:
    value: Any = health
    for part in path.split("."):
        value = value[part]
    return value


LINK_KEY = "dashboard-links-of-the-qa-tests"
LINKS: dict[str, object] = {"public_url": "", "dashboard_key": LINK_KEY}
"""QA's settings in the dashboard tests: links relative to wherever the test's QA
listens (its port is only known once it runs), signed with a key the test knows."""
ZONES = {1400: "America/St_Johns", 390: "Asia/Kathmandu"}
AS_OF = {1400: "10 Mar 2027, 05:30 NST", 390: "10 Mar 2027, 14:45 +0545"}
"""NOW as a person in each zone reads it (St John's is on standard time until 14 March)."""


def origin(qa: RunningService) -> str:
    return f"http://{qa.settings.http_host}:{qa.settings.http_port}"


def signed(url: str) -> dict[str, str]:
    """A link's query (scope, expires and key)."""
    return {k: v for k, [v] in parse_qs(urlsplit(url).query).items()}


def same_zone(name: str, tz: str) -> bool:
    """Whether the zone a browser named is `tz` (Chromium's ICU says Asia/Katmandu, an
    IANA alias of Asia/Kathmandu): the same offsets and names now and in six months."""
    moments = (NOW, NOW + timedelta(days=182))
    return all(
        f"{t.astimezone(ZoneInfo(name)):%z %Z}" == f"{t.astimezone(ZoneInfo(tz)):%z %Z}"
        for t in moments
    )


def refusal(answer: httpx.Response) -> tuple[int, str | None]:
    body = answer.json() if answer.headers["content-type"].startswith("application/json") else {}
    return answer.status_code, body.get("field")


async def agreed(probe: Callable[[], Awaitable[list[str]]], what: str, timeout: float) -> None:
    """Waits until `probe` lists no disagreement (a QA sample may land between two
    reads); fails with the last ones it listed."""
    last: list[str] = []

    async def none_left() -> bool:
        last[:] = await probe()
        return not last

    try:
        await eventually(none_left, timeout=timeout, what=what)
    except AssertionError:
        raise AssertionError(f"{what}: {last[:10]}") from None


async def a_busy_program(stack: Endpoints, qa: RunningService, unique: str) -> int:
    """prog-<unique> with 3 pairs of 3 weekly sessions each (6 held, each with the
    mentee's feedback, and 3 missed) and a risk flag, once QA has taken in every event.
    Returns the sessions held."""
    pairs = await a_program(stack, unique, pairs=3, qa_sample_rate=0.5)
    events: list[Any] = []
    for n, (match_id, mentor, mentee) in enumerate(pairs):
        for k in range(3):
            sid = f"s{n}{k}-{unique}"
            at = NOW - timedelta(days=20 - 7 * k)
            events.append(session(sid, match_id, f"prog-{unique}", mentor, mentee, at))
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
    held = sum(isinstance(e, SessionCompleted) for e in events)

    async def settled() -> dict[str, Any] | None:
        """Facts arrive on four topics in no set order: wait for all of them."""
        health = await coordinator_sees(qa, unique, f"/programs/prog-{unique}/health")
        if "attendance" not in health:
            return None
        paths = (
            "attendance.held",
            "attendance.missed",
            "escalations.open",
            "matching.active_matches",
            "matching.mentees",
            "utilisation.mentors",
            "rubric.responses",
        )
        seen = [_at(health, path) for path in paths]
        return health if seen == [held, 9 - held, 1, 3, 3, 3, held] else None

    await eventually(settled, timeout=30, what="QA to take in every event")
    return held


async def formats_disagree(
    qa: RunningService, unique: str, figure: str, link: dict[str, str]
) -> list[str]:
    """How the figure's bearer JSON, its CSV and its JSON by the signed link differ."""
    path = f"/programs/prog-{unique}/figures/{figure}"
    coordinator = token(f"coord-{unique}", "coordinator", programs=[f"prog-{unique}"])
    as_json = await qa.http.get(path, headers=coordinator)
    assert as_json.status_code == 200, as_json.text
    found = as_json.json()
    keys = [c["key"] for c in found["columns"]]
    assert found["figure"] == figure, found
    assert all(list(r) == keys for r in found["rows"]), found
    as_csv = await qa.http.get(path, params={"format": "csv"}, headers=coordinator)
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"].startswith("text/csv"), as_csv.headers
    reader = csv.DictReader(io.StringIO(as_csv.text))
    read = list(reader)
    assert reader.fieldnames == keys, (figure, reader.fieldnames)
    by_link = await qa.http.get(
        f"/programs/prog-{unique}/dashboard/figures/{figure}",
        params={"expires": link["expires"], "key": link["key"]},
    )
    assert by_link.status_code == 200, by_link.text
    as_text = [{k: "" if v is None else str(v) for k, v in r.items()} for r in found["rows"]]
    wrong = []
    if read != as_text:
        wrong.append(f"{figure}: CSV {read} vs JSON {as_text}")
    if by_link.json() != found:
        wrong.append(f"{figure}: by link {by_link.json()} vs {found}")
    return wrong


async def test_every_dashboard_figure_answers_the_same_rows_as_json_and_csv(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    async with qa_on(MovableClock(NOW), **LINKS) as qa:
        held = await a_busy_program(stack, qa, unique)
        made = await coordinator_sees(qa, unique, f"/programs/prog-{unique}/dashboard-link")
        link = signed(made["url"])
        assert int(link["expires"]) == made["expires"]

        async def every_figure() -> list[str]:
            return [w for f in FIGURES for w in await formats_disagree(qa, unique, f, link)]

        await agreed(every_figure, "bearer JSON, CSV and link JSON of every figure", timeout=60)
        tables = {
            f: await coordinator_sees(qa, unique, f"/programs/prog-{unique}/figures/{f}")
            for f in ("headline", "funnel", "weekly_sessions")
        }
        headline = {r["indicator"]: r["value"] for r in tables["headline"]["rows"]}
        assert (headline["active_matches"], headline["escalations_open"]) == (3, 1), headline
        funnel = {r["step"]: r["people"] for r in tables["funnel"]["rows"]}
        assert (funnel["registered"], funnel["matched"]) == (3, 3), funnel
        weekly = tables["weekly_sessions"]["rows"]
        assert sum(r["sessions_held"] or 0 for r in weekly) == held == 6
        assert sum(r["sessions_missed"] or 0 for r in weekly) == 3


async def test_the_page_in_headless_chromium_shows_each_figure_as_its_json(
    stack: Endpoints, qa_on: ServiceOn, unique: str, tmp_path: Path
) -> None:
    """Every value the page shows, read back from what a person sees at a desktop and a
    phone width in two time zones, is its figure's JSON (by the page's own JSON link);
    no text spills out of its chart or card and the page never scrolls sideways."""
    async with qa_on(MovableClock(NOW), **LINKS) as qa:
        await a_busy_program(stack, qa, unique)
        made = await coordinator_sees(qa, unique, f"/programs/prog-{unique}/dashboard-link")
        url = origin(qa) + made["url"]
        seen: list[Look] = []

        async def page_is_its_json() -> list[str]:
            seen[:] = await asyncio.to_thread(looks, url, "program", tmp_path, ZONES)
            return [f"{s.width}px: {w}" for s in seen for w in disagreements(s)]

        await agreed(page_is_its_json, "the page against its figures' JSON", timeout=120)
        for look in seen:
            tz = ZONES[look.width]
            about = f"at {look.width} px in {tz}"
            asked = signed(look.url)["tz"]
            assert same_zone(asked, tz), f"{about}: the page asked for {asked}"
            assert look.clipped == [], f"{about}: {look.clipped[:5]}"
            assert look.checked_texts > 100, about
            assert look.scroll_width <= look.width, about
            assert len(look.shown) > 50, about
            assert {"headline", "funnel", "weekly_sessions"} <= {s["figure"] for s in look.shown}
            assert look.screenshot.stat().st_size > 20_000, about
            iso, text = look.as_of
            zone_name = f"{datetime.fromisoformat(iso).astimezone(ZoneInfo(tz)):%Z}"
            assert (iso, text) == (NOW.isoformat(), f"{local_time(iso, tz)} {zone_name}"), about
            assert text == AS_OF[look.width], about
            charts = [c for c in look.charts if c["svgs"]]
            assert len(charts) >= 3, about
            unlabelled = [c["id"] for c in charts if not (c["labelled"] and c["table"])]
            assert unlabelled == [], about


async def test_a_forged_or_expired_link_and_a_bad_time_zone_are_refused(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    program_id = f"prog-{unique}"
    keys = SignedLinks(LINK_KEY.encode(), 0, "|")
    async with qa_on(MovableClock(NOW), **LINKS) as qa:
        await a_program(stack, unique, pairs=1)
        await confirmed_in_qa(qa, unique, pairs=1)
        link = signed(
            (await coordinator_sees(qa, unique, f"/programs/{program_id}/dashboard-link"))["url"]
        )
        page = f"/programs/{program_id}/dashboard"
        headline = f"{page}/figures/headline"
        soon = int(time.time()) + 600
        mine = {"expires": str(soon), "key": keys.signature(program_id, expires=soon)}
        for works in (link, mine):
            assert (await qa.http.get(page, params=works)).status_code == 200
            assert (await qa.http.get(headline, params=works)).status_code == 200
        past = int(time.time()) - 60
        refused = {
            "forged": {**link, "key": "0" * 40},
            "expired": {"expires": str(past), "key": keys.signature(program_id, expires=past)},
            "lengthened": {**link, "expires": str(int(link["expires"]) + 3600)},
        }
        for why, params in refused.items():
            for path in (page, headline, f"/programs/other-{unique}/dashboard"):
                answer = await qa.http.get(path, params=params)
                assert refusal(answer) == (403, "key"), (why, path, answer.text)
        network = {"scope": "all", "expires": link["expires"], "key": link["key"]}
        assert refusal(await qa.http.get("/network/dashboard", params=network)) == (403, "key")

        mars = await qa.http.get(page, params={**link, "tz": "Mars/Base"})
        assert refusal(mars) == (422, "tz"), mars.text
        kathmandu = await qa.http.get(page, params={**link, "tz": "Asia/Kathmandu"})
        assert kathmandu.status_code == 200, kathmandu.text

        coordinator = token(f"coord-{unique}", "coordinator", programs=[program_id])
        unknown = [
            qa.http.get(f"/programs/{program_id}/figures/nonsense", headers=coordinator),
            qa.http.get(f"{page}/figures/nonsense", params=link),
            qa.http.get("/network/figures/nonsense", headers=coordinator),
        ]
        for answer in await asyncio.gather(*unknown):
            assert refusal(answer) == (404, "figure"), answer.text
        for weeks in (0, 105):
            by_weeks = [
                qa.http.get(
                    f"/programs/{program_id}/figures/headline",
                    params={"weeks": weeks},
                    headers=coordinator,
                ),
                qa.http.get(headline, params={**link, "weeks": weeks}),
                qa.http.get(page, params={**link, "weeks": weeks}),
            ]
            for answer in await asyncio.gather(*by_weeks):
                assert refusal(answer) == (422, "weeks"), answer.text


async def test_a_sponsor_sees_their_programs_figures_and_network_only(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    mine, theirs = f"prog-{unique}", f"prog-{unique}q"
    sponsor = token(f"sponsor-{unique}", "sponsor", programs=[mine])
    async with qa_on(MovableClock(NOW), **LINKS) as qa:
        await a_program(stack, unique, pairs=1)
        await a_program(stack, f"{unique}q", pairs=2)
        await confirmed_in_qa(qa, unique, pairs=1)
        await confirmed_in_qa(qa, f"{unique}q", pairs=2)

        own = await qa.http.get(f"/programs/{mine}/figures/headline", headers=sponsor)
        assert own.status_code == 200, own.text
        assert {r["indicator"]: r["value"] for r in own.json()["rows"]}["active_matches"] == 1
        own_csv = await qa.http.get(
            f"/programs/{mine}/figures/funnel", params={"format": "csv"}, headers=sponsor
        )
        assert own_csv.status_code == 200, own_csv.text
        for path in ("figures/headline", "dashboard-link"):
            other = await qa.http.get(f"/programs/{theirs}/{path}", headers=sponsor)
            assert other.status_code == 403, (path, other.text)

        def programs_in(answer: httpx.Response) -> list[str]:
            assert answer.status_code == 200, answer.text
            return sorted(str(r["program_id"]) for r in answer.json()["rows"])

        side_by_side = "/network/figures/network_programs"
        assert programs_in(await qa.http.get(side_by_side, headers=SERVICE)) == [mine, theirs]
        assert programs_in(await qa.http.get(side_by_side, headers=sponsor)) == [mine]

        made = await qa.http.get("/network/dashboard-link", headers=sponsor)
        assert made.status_code == 200, made.text
        assert made.json()["scope"] == mine
        link = signed(made.json()["url"])
        assert link["scope"] == mine
        view = await qa.http.get("/network/dashboard", params=link)
        assert view.status_code == 200, view.text
        assert f"/programs/{mine}/dashboard?" in view.text
        assert theirs not in view.text
        by_link = await qa.http.get("/network/dashboard/figures/network_programs", params=link)
        assert programs_in(by_link) == [mine]
        for wider in ("all", f"{mine},{theirs}", theirs):
            answer = await qa.http.get("/network/dashboard", params={**link, "scope": wider})
            assert refusal(answer) == (403, "key"), (wider, answer.text)

        audit = await qa.http.post(f"/programs/{mine}/fairness-audits", headers=sponsor)
        assert audit.status_code == 403, audit.text
        reviewer = token(f"rev-{unique}", "reviewer", programs=[mine])
        for path in (side_by_side, "/network/dashboard-link"):
            answer = await qa.http.get(path, headers=reviewer)
            assert answer.status_code == 403, (path, answer.text)
