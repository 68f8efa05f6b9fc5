"""QA's outcome report on the real broker and store: the outcome facts of fourteen
mentees (six in one segment, five in another, three in a third) published as feedback
and the matcher announce them; the report's figures (n, mean, 95% interval) for the
segment of six, the segment of three suppressed and the segment of five with it (so the
three cannot be worked out from the program's figures), the CSV the same figures as the
JSON; invited mentees answer the
invitation to mentor (mentor_invitation.answered on mentornet.qa; 404 not invited, 409
twice), and two who later enrol as mentors count as converted."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import timedelta
from statistics import fmean, stdev
from typing import Any

import pytest
from mentornet_contracts.catalogue import QA
from mentornet_contracts.events.common import Role, SkillLevel
from mentornet_contracts.events.feedback import GoalProgressRecorded, GoalStatus
from mentornet_contracts.events.matches import (
    MatchConfirmed,
    MatchEnded,
    MatchEndReason,
    MatchProposed,
)
from mentornet_contracts.events.outcomes import AssessmentStage, EndSurveySubmitted, SkillAssessed
from mentornet_contracts.events.participants import MenteeRegistered, MentorRegistered
from mentornet_contracts.events.programs import OutcomeMeasure
from mentornet_contracts.events.sessions import Attendance, SessionCompleted
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.kafka import find_records, kind_of
from mentornet_tooling.testing.poll import eventually
from scipy import stats

from tests.conftest import ServiceOn
from tests.integration.test_qa import session
from tests.integration.test_qa_outcomes import GOAL, NOW, SKILLS
from tests.support.events import person, program, publish
from tests.support.helpers import token

pytestmark = pytest.mark.integration

FIGURES = ("n", "value", "ci_low", "ci_high")
GROWTH = [1, 2, 3, 1, 2, 3]
SATISFACTION = [3, 4, 5, 4, 4, 5]


def t_interval(values: list[float]) -> tuple[float, float]:
    half = stats.t.ppf(0.975, len(values) - 1) * stdev(values) / math.sqrt(len(values))
    return round(fmean(values) - half, 4), round(fmean(values) + half, 4)


def one_mentee(
    program_id: str, unique: str, n: int, segment: str, growth: int, satisfaction: int
) -> tuple[list[Any], list[Any], list[Any]]:
    """Registration; the match and its first session; its outcomes and its end."""
    mentee, mentor, match_id = f"e{n}-{unique}", f"r{n % 3}-{unique}", f"m{n}-{unique}"
    ids = {"match_id": match_id, "mentee_id": mentee, "program_id": program_id}
    registered = [
        person(
            MenteeRegistered,
            mentee,
            program_id,
            person_id=f"person-e{n}-{unique}",
            segment=segment,
            goals=[GOAL],
        )
    ]
    sid = f"s{n}-{unique}"
    matched = [
        MatchProposed(**ids, mentor_id=mentor, score=0.8, explanation=()),
        MatchConfirmed(**ids, mentor_id=mentor),
        session(sid, match_id, program_id, mentor, mentee, NOW - timedelta(days=6)),
        SessionCompleted(session_id=sid, match_id=match_id, attendance=Attendance.ATTENDED),
    ]
    finished = segment == "new-manager"
    level = SkillLevel(skill_id="python", level=2)
    outcomes = [
        SkillAssessed(**ids, assessor=Role.MENTEE, stage=AssessmentStage.BASELINE, levels=(level,)),
        SkillAssessed(
            **ids,
            assessor=Role.MENTEE,
            stage=AssessmentStage.END,
            levels=(SkillLevel(skill_id="python", level=2 + growth),),
        ),
        EndSurveySubmitted(
            **ids,
            role=Role.MENTEE,
            template_version=1,
            satisfaction=satisfaction,
            would_recommend=True,
            confidence_gained=4,
        ),
        GoalProgressRecorded(
            match_id=match_id,
            mentee_id=mentee,
            goal_id="g1",
            percent=100 if finished else 40,
            status=GoalStatus.ACHIEVED if finished else GoalStatus.AT_RISK,
        ),
        MatchEnded(
            **ids,
            mentor_id=mentor,
            reason=MatchEndReason.COMPLETED if finished else MatchEndReason.WITHDRAWN,
        ),
    ]
    return registered, matched, outcomes


async def test_the_outcome_report_shows_a_segment_of_six_suppresses_three_and_counts_conversion(
    stack: Endpoints, qa_on: ServiceOn, unique: str
) -> None:
    program_id = f"prog-{unique}"
    coordinator = token(f"coord-{unique}", "coordinator", programs=[program_id])
    collected = (OutcomeMeasure.SKILL_GROWTH, OutcomeMeasure.SATISFACTION, OutcomeMeasure.RETENTION)
    registered: list[Any] = [program(program_id).model_copy(update={"outcome_measures": collected})]
    registered += [
        person(MentorRegistered, f"r{k}-{unique}", program_id, skills=SKILLS) for k in range(3)
    ]
    matched: list[Any] = []
    outcomes: list[Any] = []
    segments = [("new-manager", g, s) for g, s in zip(GROWTH, SATISFACTION, strict=True)]
    segments += [("career-switch", 1, 2)] * 3
    segments += [("returner", 2, 3)] * 5
    for n, (segment, growth, satisfaction) in enumerate(segments):
        first, second, third = one_mentee(program_id, unique, n, segment, growth, satisfaction)
        registered += first
        matched += second
        outcomes += third
    async with qa_on(MovableClock(NOW)) as qa:
        await publish(stack, *registered, at=NOW - timedelta(days=10))
        await publish(stack, *matched, at=NOW - timedelta(days=7))
        await publish(stack, *outcomes, at=NOW)
        url = f"/programs/{program_id}/outcomes"

        async def everyone() -> dict[str, Any] | None:
            answer = await qa.http.get(url, headers=coordinator)
            if answer.status_code == 404:
                return None
            assert answer.status_code == 200, answer.text
            [whole] = answer.json()["groups"]
            shown = {f["indicator"]: f for f in whole["indicators"]}
            wanted = ("skill_growth", "satisfaction", "retention", "early_closure_rate")
            return whole if all(shown[i]["n"] == len(segments) for i in wanted) else None

        await eventually(everyone, timeout=30, what="every mentee's outcomes")
        answer = await qa.http.get(url, params={"by": "segment"}, headers=coordinator)
        assert answer.status_code == 200, answer.text
        report: dict[str, Any] = answer.json()
        assert report["outcome_measures"] == ["skill_growth", "satisfaction", "retention"]
        big, small, next_smallest = (
            next(g for g in report["groups"] if g["group"] == name)
            for name in ("new-manager", "career-switch", "returner")
        )
        shown = {f["indicator"]: f for f in big["indicators"]}
        assert "would_recommend" not in shown, "the program does not collect it"
        growth = shown["skill_growth"]
        assert (growth["n"], growth["value"]) == (6, 2.0)
        assert (growth["ci_low"], growth["ci_high"]) == t_interval([float(g) for g in GROWTH])
        satisfaction = shown["satisfaction"]
        assert satisfaction["value"] == round(fmean(SATISFACTION), 4)
        assert (satisfaction["ci_low"], satisfaction["ci_high"]) == t_interval(
            [float(s) for s in SATISFACTION]
        )
        retention = shown["retention"]
        assert (retention["value"], retention["ci_low"], retention["ci_high"]) == (
            1.0,
            0.6097,
            1.0,
        ), "Wilson's interval for 6 of 6"
        assert shown["time_to_match_days"]["value"] == 3.0
        assert shown["time_to_first_session_days"]["value"] == 1.0
        assert (small["mentees"], small["suppressed"]) == (None, "fewer than 5 mentees")
        assert all(f["n"] is None and f["value"] is None for f in small["indicators"])
        assert (next_smallest["mentees"], next_smallest["suppressed"]) == (
            None,
            "suppressed so a smaller group cannot be worked out",
        )
        assert all(f["n"] is None and f["value"] is None for f in next_smallest["indicators"])

        csv_answer = await qa.http.get(f"{url}.csv", params={"by": "segment"}, headers=coordinator)
        assert csv_answer.status_code == 200, csv_answer.text
        assert csv_answer.headers["content-type"].startswith("text/csv")
        lines = list(csv.DictReader(io.StringIO(csv_answer.text)))
        from_json = [
            {
                "group": g["group"],
                "indicator": f["indicator"],
                **{
                    k: "" if f[k] is None else str(f[k])
                    for k in ("n", "value", "ci_low", "ci_high")
                },
                "suppressed": f["suppressed"] or "",
            }
            for g in report["groups"]
            for f in g["indicators"]
        ]
        assert lines == from_json

        invited = await find_records(
            stack.bootstrap_servers,
            QA.name,
            lambda r: (
                kind_of(r) == "mentee.invited_to_mentor"
                and json.loads(r.value)["program_id"] == program_id
            ),
            count=6,
            timeout=30,
        )
        assert len(invited) == 6
        for n in range(6):
            answer = await qa.http.post(
                f"/programs/{program_id}/mentor-invitations/e{n}-{unique}/answer",
                json={"accept": n < 3},
                headers=token(f"person-e{n}-{unique}", "mentee"),
            )
            assert answer.status_code == 200, answer.text
            assert answer.json()["accepted"] is (n < 3)
        again = await qa.http.post(
            f"/programs/{program_id}/mentor-invitations/e0-{unique}/answer",
            json={"accept": False},
            headers=token(f"person-e0-{unique}", "mentee"),
        )
        assert (again.status_code, again.json()["field"]) == (409, "participant_id")
        not_invited = await qa.http.post(
            f"/programs/{program_id}/mentor-invitations/e6-{unique}/answer",
            json={"accept": True},
            headers=token(f"person-e6-{unique}", "mentee"),
        )
        assert (not_invited.status_code, not_invited.json()["field"]) == (404, "participant_id")
        someone_else = await qa.http.post(
            f"/programs/{program_id}/mentor-invitations/e1-{unique}/answer",
            json={"accept": True},
            headers=token(f"person-e6-{unique}", "mentee"),
        )
        assert someone_else.status_code == 403
        answered = await find_records(
            stack.bootstrap_servers,
            QA.name,
            lambda r: (
                kind_of(r) == "mentor_invitation.answered"
                and json.loads(r.value)["program_id"] == program_id
            ),
            count=6,
            timeout=30,
        )
        accepted = sorted(
            json.loads(r.value)["participant_id"]
            for r in answered
            if json.loads(r.value)["accepted"]
        )
        assert accepted == sorted(f"e{n}-{unique}" for n in range(3))

        await publish(
            stack,
            *(
                person(
                    MentorRegistered,
                    f"new-mentor{n}-{unique}",
                    f"other-{unique}",
                    person_id=f"person-e{n}-{unique}",
                    skills=SKILLS,
                )
                for n in range(2)
            ),
            at=NOW + timedelta(days=1),
        )

        async def converted() -> dict[str, Any] | None:
            answer = await qa.http.get(url, headers=coordinator)
            [whole] = answer.json()["groups"]
            shown = {f["indicator"]: f for f in whole["indicators"]}
            return shown if shown["became_mentor"]["value"] == round(2 / 6, 4) else None

        whole = await eventually(
            converted, timeout=30, what="two invited mentees enrolled as mentors"
        )
        assert (whole["invited_to_mentor"]["n"], whole["invited_to_mentor"]["value"]) == (
            14,
            round(6 / 14, 4),
        )
        assert (whole["accepted_invitation"]["n"], whole["accepted_invitation"]["value"]) == (
            6,
            0.5,
        )
        assert whole["became_mentor"]["n"] == 6
        assert whole["early_closure_rate"]["reasons"] == {"withdrawn": 8}, "3 + 5: shown"
