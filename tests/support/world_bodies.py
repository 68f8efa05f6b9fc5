"""A program's world built through the services' APIs, each route sent its largest body
at the point where it means something (tests/e2e/test_largest_bodies.py).

Ordinary bodies build what the largest ones need (a program, mentors and mentees whose
availability admits any time, matches in review, a confirmed match with sessions, a
held session with its survey, QA sample and report). Bodies that replace or end
something go to things made for them, so the world stays usable to the end.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from mentornet_contracts.budget import WORST_CHAR
from mentornet_contracts.catalogue import FEEDBACK, MATCHES, QA, SESSIONS
from mentornet_tooling.testing.backends import Endpoints
from mentornet_tooling.testing.clock import MovableClock
from mentornet_tooling.testing.poll import eventually
from mentornet_tooling.testing.services import RunningService

from tests.support.calibration_bodies import CalibrationBodies
from tests.support.events import events_of
from tests.support.experiment_bodies import ExperimentBodies
from tests.support.feedback_outcome_bodies import FeedbackOutcomeBodies
from tests.support.format_bodies import GOAL, PYTHON, FormatBodies, for_mentee, person
from tests.support.helpers import matcher_knows, open_program, token
from tests.support.invitation_bodies import InvitationBodies
from tests.support.survey_bodies import largest_answers, largest_template

if TYPE_CHECKING:
    from tests.e2e.test_largest_bodies import Sent


class WorldBodies(
    FormatBodies, ExperimentBodies, FeedbackOutcomeBodies, InvitationBodies, CalibrationBodies
):
    def __init__(
        self,
        stack: Endpoints,
        intake: RunningService,
        matcher: RunningService,
        scheduler: RunningService,
        feedback: RunningService,
        qa: RunningService,
        clock: MovableClock,
        unique: str,
        sent: Sent,
        notifier: RunningService | None = None,
    ) -> None:
        self.stack = stack
        self.notifier = notifier
        self.intake, self.matcher, self.scheduler = intake, matcher, scheduler
        self.feedback, self.qa = feedback, qa
        self.clock = clock
        self.unique = unique
        self.sent = sent

    async def run(self) -> None:
        program_id = await self.program()
        await self.intake_bodies(program_id)
        mentors, mentees = await self.people(program_id)
        proposals = await self.in_review(program_id, mentees)
        confirmed = await self.matcher_bodies(proposals, mentors)
        session = await self.scheduler_bodies(confirmed)
        await self.feedback_bodies(program_id, confirmed, session)
        await self.feedback_outcome_bodies(confirmed)
        await self.qa_bodies(program_id, confirmed, session)
        await self.calibration_bodies(program_id)
        await self.pause_bodies(confirmed)
        await self.notifier_bodies(program_id)
        await self.sent.send(
            self.matcher,
            ("matcher", "POST", "/matches/{match_id}/fit-check"),
            f"/matches/{confirmed}/fit-check",
            token(self.mentee, "mentee"),
        )
        await self.checkin_bodies()
        await self.experiment_bodies()
        await self.invitation_bodies()
        await self.end_survey_bodies(confirmed)

    async def program(self) -> str:
        program_id, _ = await open_program(
            self.intake,
            self.unique,
            duration_weeks=8,
            approval_mode="coordinator_review",
            qa_sample_rate=1.0,
            max_monthly_hours_per_mentor=160,
            max_pause_weeks=26,
        )
        self.coordinator = token(f"c-{self.unique}", "coordinator", programs=[program_id])
        return program_id

    async def intake_bodies(self, program_id: str) -> None:
        coordinator = token(f"c-{self.unique}", "coordinator")
        curator = token(f"t-{self.unique}", "taxonomy_curator")
        send, intake = self.sent.send, self.intake
        created = await send(
            intake,
            ("intake", "POST", "/programs"),
            "/programs",
            coordinator,
            **{"$.tier": "cohort"},
        )
        other = created.json()["program_id"]
        await send(
            intake, ("intake", "PATCH", "/programs/{program_id}"), f"/programs/{other}", coordinator
        )
        mentee = await send(
            intake,
            ("intake", "POST", "/participants/mentees"),
            "/participants/mentees",
            self.coordinator,
            **{"$.program_id": program_id},
        )
        who = mentee.json()["participant_id"]
        mentor = await send(
            intake,
            ("intake", "POST", "/participants/mentors"),
            "/participants/mentors",
            self.coordinator,
            **{
                "$.program_id": program_id,
                "$.email": f"m2-{self.unique}@example.org",
                "$.person_id": f"m2-{self.unique}".ljust(255, WORST_CHAR),
            },
        )
        mentor_id = mentor.json()["participant_id"]
        for method, template, target in (
            ("PUT", "/participants/{participant_id}/availability", who),
            ("PUT", "/participants/{participant_id}/goals", who),
            ("PATCH", "/participants/{participant_id}/profile", mentor_id),
            ("POST", "/participants/{participant_id}/withdraw", who),
        ):
            path = template.replace("{participant_id}", target)
            await send(intake, ("intake", method, template), path, self.coordinator)
        skill = await send(
            intake,
            ("intake", "POST", "/taxonomy/skills"),
            "/taxonomy/skills",
            curator,
            **{
                "$.id": f"zz-{self.unique}".ljust(64, "a"),
                "$.aliases": [f"{self.unique} alias {n:02d}".ljust(64, "x") for n in range(20)],
            },
        )
        assert skill.status_code == 201, skill.text
        plain = {
            "id": f"zz-{self.unique}-plain",
            "name": "Plain",
            "cluster": "technical",
            "category": "testing",
            "tier": "foundational",
        }
        added = await intake.http.post("/taxonomy/skills", json=plain, headers=curator)
        assert added.status_code == 201, added.text
        skill_id = plain["id"]
        await send(
            intake,
            ("intake", "POST", "/taxonomy/skills/{skill_id}/rename"),
            f"/taxonomy/skills/{skill_id}/rename",
            curator,
            **{"$.new_id": f"zz-{self.unique}-b".ljust(64, "b")},
        )

    async def register(self, role: str, body: dict[str, Any]) -> str:
        created = await self.intake.http.post(
            f"/participants/{role}s", json=body, headers=self.coordinator
        )
        assert created.status_code == 201, created.text
        return str(created.json()["participant_id"])

    async def people(self, program_id: str) -> tuple[list[str], list[str]]:
        mentors = [
            await self.register(
                "mentor", person(self.unique, f"mentor{n}", program_id, skills=PYTHON)
            )
            for n in range(2)
        ]
        mentees = [
            await self.register(
                "mentee", person(self.unique, f"mentee{n}", program_id, goals=[GOAL])
            )
            for n in range(2)
        ]
        for someone in (*mentors, *mentees):
            await eventually(partial(matcher_knows, self.matcher, someone), what=f"{someone} known")
        return mentors, mentees

    async def in_review(self, program_id: str, mentees: list[str]) -> list[dict[str, Any]]:
        """Each mentee's first proposal (coordinator review: they wait in review)."""
        run = await self.matcher.http.post(
            f"/programs/{program_id}/matching-runs", headers=self.coordinator
        )
        assert run.status_code in (200, 202), run.text
        found = []
        for mentee in mentees:
            [proposed] = await events_of(
                self.stack, MATCHES.name, "match.proposed", partial(for_mentee, mentee)
            )
            found.append(proposed)
        return found

    async def matcher_bodies(self, proposals: list[dict[str, Any]], mentors: list[str]) -> str:
        """Swap the first mentee's proposal to the other mentor, decline the second's,
        and have the swapped one accepted: the confirmed match the rest of the world uses."""
        first, second = proposals
        other = next(m for m in mentors if m != first["mentor_id"])
        send, matcher = self.sent.send, self.matcher
        swapped = await send(
            matcher,
            ("matcher", "POST", "/matches/{match_id}/swap"),
            f"/matches/{first['match_id']}/swap",
            self.coordinator,
            **{"$.mentor_id": other},
        )
        assert swapped.status_code == 200, swapped.text
        await send(
            matcher,
            ("matcher", "POST", "/matches/{match_id}/decline"),
            f"/matches/{second['match_id']}/decline",
            self.coordinator,
        )
        [again] = await events_of(
            self.stack,
            MATCHES.name,
            "match.proposed",
            lambda e: e["mentee_id"] == first["mentee_id"] and e["mentor_id"] == other,
        )
        status = await matcher.http.get(f"/matches/{again['match_id']}", headers=self.coordinator)
        if status.json()["status"] == "in_review":
            approved = await matcher.http.post(
                f"/matches/{again['match_id']}/approve", headers=self.coordinator
            )
            assert approved.status_code == 200, approved.text
        accepted = await matcher.http.post(
            f"/matches/{again['match_id']}/accept", headers=token(other, "mentor")
        )
        assert accepted.status_code == 200, accepted.text
        self.mentor, self.mentee = other, str(first["mentee_id"])
        return str(again["match_id"])

    async def scheduler_bodies(self, match_id: str) -> str:
        booked = await events_of(
            self.stack,
            SESSIONS.name,
            "session.scheduled",
            lambda e: e["match_id"] == match_id,
            count=4,
        )
        first, second, third, fourth = sorted(booked, key=lambda e: e["starts_at"])[:4]
        send, scheduler = self.sent.send, self.scheduler
        mentor = token(self.mentor, "mentor")
        last = datetime.fromisoformat(sorted(booked, key=lambda e: e["starts_at"])[-1]["starts_at"])
        await send(
            scheduler,
            ("scheduler", "POST", "/matches/{match_id}/sessions"),
            f"/matches/{match_id}/sessions",
            self.coordinator,
            **{"$.starts_at": (last + timedelta(days=2)).isoformat()},
        )
        moved_to = datetime.fromisoformat(third["starts_at"]) + timedelta(hours=12)
        await send(
            scheduler,
            ("scheduler", "POST", "/sessions/{session_id}/reschedule"),
            f"/sessions/{third['session_id']}/reschedule",
            self.coordinator,
            **{"$.starts_at": moved_to.isoformat()},
        )
        await send(
            scheduler,
            ("scheduler", "POST", "/sessions/{session_id}/cancel"),
            f"/sessions/{fourth['session_id']}/cancel",
            self.coordinator,
        )
        self.clock.now = datetime.fromisoformat(second["starts_at"]) + timedelta(hours=1)
        held = await scheduler.http.post(
            f"/sessions/{first['session_id']}/attendance",
            json={"attendance": "attended"},
            headers=mentor,
        )
        assert held.status_code == 200, held.text
        await send(
            scheduler,
            ("scheduler", "POST", "/sessions/{session_id}/attendance"),
            f"/sessions/{second['session_id']}/attendance",
            mentor,
        )
        return str(first["session_id"])

    async def feedback_bodies(self, program_id: str, match_id: str, session_id: str) -> None:
        send, feedback = self.sent.send, self.feedback
        mentor, mentee = self.mentor, self.mentee
        asked = await events_of(
            self.stack,
            FEEDBACK.name,
            "feedback.requested",
            lambda e: e["session_id"] == session_id,
            count=2,
        )
        [request] = [a for a in asked if a["role"] == "mentee"]
        await send(
            feedback,
            ("feedback", "POST", "/feedback-requests/{request_id}/answers"),
            f"/feedback-requests/{request['request_id']}/answers",
            token(mentee, "mentee"),
            **{"$.answers": largest_answers("mentee"), "$.template_version": 1},
        )
        await send(
            feedback,
            ("feedback", "POST", "/matches/{match_id}/goals/{goal_id}/progress"),
            f"/matches/{match_id}/goals/g1/progress",
            token(mentee, "mentee"),
        )
        today = self.clock.now.date()
        items = [
            {
                "text": WORST_CHAR * 500,
                "owner": "mentee",
                "due_date": (today + timedelta(days=14)).isoformat(),
            }
        ] * 30
        flags = ["disengaged", "off_track", "wellbeing_concern", "conflict"]
        await send(
            feedback,
            ("feedback", "POST", "/sessions/{session_id}/report"),
            f"/sessions/{session_id}/report",
            token(mentor, "mentor"),
            **{"$.action_items": items, "$.risk_flags": flags},
        )
        await send(
            feedback,
            ("feedback", "PUT", "/programs/{program_id}/survey-template"),
            f"/programs/{program_id}/survey-template",
            self.coordinator,
            **{"$.questions": largest_template()},
        )

    async def notifier_bodies(self, program_id: str) -> None:
        """A mentee's notification preferences, once the notifier has their registration."""
        notifier = self.notifier
        if notifier is None:
            return
        path = f"/participants/{self.mentee}/notification-preferences"

        async def knows_mentee() -> bool:
            answer = await notifier.http.get(path, headers=self.coordinator)
            return bool(answer.status_code == 200)

        await eventually(knows_mentee, what="the notifier to know the mentee")
        await self.sent.send(
            notifier,
            ("notifier", "PUT", "/participants/{participant_id}/notification-preferences"),
            path,
            self.coordinator,
            **{"$.quiet_hours.start": "22:00", "$.quiet_hours.end": "07:30"},
        )

    async def qa_bodies(self, program_id: str, match_id: str, session_id: str) -> None:
        send, qa = self.sent.send, self.qa
        await send(
            qa,
            ("qa", "PUT", "/programs/{program_id}/playbook"),
            f"/programs/{program_id}/playbook",
            self.coordinator,
        )
        awards = [
            {
                "award": f"award-{n}".ljust(64, "x"),
                "sessions": 100_000,
                "goals_reached": 100_000,
                "min_rubric": 5,
            }
            for n in range(20)
        ]
        await send(
            qa,
            ("qa", "PUT", "/programs/{program_id}/recognition"),
            f"/programs/{program_id}/recognition",
            self.coordinator,
            **{"$.awards": awards},
        )

        async def knows_match() -> bool:
            response = await qa.http.post(
                f"/matches/{match_id}/cases", json={"detail": "x"}, headers=self.coordinator
            )
            return response.status_code != 404

        await eventually(knows_match, what="QA to know the match")
        opened = await send(
            qa,
            ("qa", "POST", "/matches/{match_id}/cases"),
            f"/matches/{match_id}/cases",
            self.coordinator,
        )
        case_id = opened.json()["case_id"]
        await send(
            qa,
            ("qa", "POST", "/cases/{case_id}/resolve"),
            f"/cases/{case_id}/resolve",
            self.coordinator,
        )
        [sample] = await events_of(
            self.stack, QA.name, "qa.sample.selected", lambda e: e["session_id"] == session_id
        )
        reviewer = token(f"r-{self.unique}", "reviewer", programs=[program_id])
        await send(
            qa,
            ("qa", "POST", "/samples/{sample_id}/reviews"),
            f"/samples/{sample['sample_id']}/reviews",
            reviewer,
        )
