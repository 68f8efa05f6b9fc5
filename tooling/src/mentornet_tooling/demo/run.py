"""The demo from start to end, and what it prints: where to look, with the figures."""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter
from typing import Any

from mentornet_tooling import devstack, mailsink
from mentornet_tooling.demo import experiment, outcomes
from mentornet_tooling.demo.client import Api, DemoError, Json
from mentornet_tooling.demo.enrolment import (
    Program,
    enrol,
    head_counts,
    publish,
    wait_until_matcher_knows,
)
from mentornet_tooling.demo.matching import board, confirmed, decide_all, run_batches
from mentornet_tooling.demo.progress import Progress, counting
from mentornet_tooling.demo.review import audit, review_samples
from mentornet_tooling.demo.weeks import STEPS_PER_WEEK, Tally, next_week
from mentornet_tooling.devstack import DevConfig

STALLING = 3
STAGES = (
    "Publishing programs and registering people",
    "Waiting for the matcher to know everyone",
    "Matching: batch runs and decisions",
    "Simulated weeks",
    "Closing the outcomes",
    "Fairness audit and QA reviews",
    "Results",
)


def demo(weeks: int = 5, seed: int = 7, scale: float = 1.0) -> int:
    cfg = DevConfig()
    health = devstack.status(cfg)
    if not health or any(h != "healthy" for h in health.values()):
        print(f"the local stack is not up ({health or 'nothing runs'}): run `mentornet dev up`")
        return 2
    rng, run = random.Random(seed), uuid.uuid4().hex[:6]
    api = Api(cfg, f"coordinator-{run}")
    started = time.monotonic()
    progress = Progress(STAGES)
    try:
        programs, trial = _onboard(api, rng, run, scale, seed, progress)
        lab = outcomes.start(api, trial)
        progress.stage("Simulated weeks")
        tally = _live(api, programs, rng, weeks, lab, progress)
        progress.stage("Closing the outcomes")
        assessed = outcomes.close(api, lab, tally.stalling)
        progress.stage("Fairness audit and QA reviews")
        audit(api, programs)
        reviewed = review_samples(api, programs, rng)
        found = experiment.results(api, trial, assessed)
    except DemoError as exc:
        print(f"demo stopped: {exc}")
        return 1
    progress.stage("Results")
    print(f"\n{_done(tally, reviewed)} in {time.monotonic() - started:.0f} s")
    experiment.show(api, trial, found, outcomes.fit_by_arm(lab))
    status = _report(api, programs)
    mail = mailsink.delivered(cfg.mail_dir)
    print(
        f"\nNotifier: {len(mail)} messages delivered to the local mail sink"
        f" (reminders, bookings with their .ics, requests, proposals, nudges);"
        f" read them in {cfg.mail_dir}/"
    )
    return status


def _onboard(
    api: Api, rng: random.Random, run: str, scale: float, seed: int, progress: Progress
) -> tuple[list[Program], experiment.Experiment]:
    progress.stage("Publishing programs and registering people")
    programs = publish(api)
    trial = experiment.define(api, programs, run, seed, scale)
    total = sum(mentors + mentees for mentors, mentees in head_counts(programs, scale))
    enrol(api, programs, rng, run, scale, counting(progress, total, "people registered"))
    people = sum(len(p.people) for p in programs)
    print(f"Registered {people} people in {len(programs)} programs (6 time zones).")
    progress.stage("Waiting for the matcher to know everyone")
    wait_until_matcher_knows(api, programs)
    experiment.assigned(api, trial)
    progress.stage("Matching: batch runs and decisions")
    runs = run_batches(api, programs)
    decide_all(api, programs, rng)
    for program in programs:
        placed = board(api, program)
        statuses = Counter(m["status"] for m in placed["matches"])
        gap = runs[program.plan.key]["optimality_gap"]
        print(
            f"  {program.plan.key:<9} {statuses['confirmed']} confirmed, "
            f"{len(placed['waitlisted'])} waitlisted (last batch run: gap to the LP bound "
            f"{gap:.1e})"
        )
    return programs, trial


def _live(
    api: Api,
    programs: list[Program],
    rng: random.Random,
    weeks: int,
    lab: outcomes.Lab,
    progress: Progress,
) -> Tally:
    tally = Tally()
    # mentees outside the experiment stall first, so rematches do not blur its arms
    standard = sorted(confirmed(api, programs[0]), key=lambda m: m.get("arm_id") is not None)
    tally.stalling = {m["mentee_id"] for m in standard[:STALLING]}
    milestones = 0
    for week in range(1, weeks + 1):
        stepped = counting(progress, STEPS_PER_WEEK, f"week {week} of {weeks}, steps")
        now = next_week(api, programs, rng, tally, stepped)
        decide_all(api, programs, rng, rounds=3)
        milestones += outcomes.week(api, lab, now.date())
        print(
            f"  week {week} ({now:%Y-%m-%d}): {tally.attended} sessions held, "
            f"{tally.missed} missed, {tally.answers} feedback answers, {tally.reports} reports, "
            f"{milestones} milestones done"
        )
    return tally


def _done(tally: Tally, reviewed: int) -> str:
    return (
        f"Simulated: {tally.attended} sessions held, {tally.missed} missed, "
        f"{tally.answers} feedback answers, {tally.reports} session reports, "
        f"{tally.items_done} action items done, {reviewed} QA reviews"
    )


def _report(api: Api, programs: list[Program]) -> int:
    """0 when every program has matches (active, or run their course) and sessions
    were held."""
    unmatched, held = [], 0
    for program in programs:
        health = api.get("qa", f"/programs/{program.program_id}/health")
        link = api.get("qa", f"/programs/{program.program_id}/dashboard-link")["url"]
        figures = _figures(health)
        print(f"\n{program.plan.spec['name']}")
        for name, value in figures.items():
            print(f"  {name:<24} {value}")
        print(f"  dashboard: {link}")
        held += figures["sessions held"]
        if not figures["active matches"] and not figures["completed matches"]:
            unmatched.append(program.plan.key)
    network = api.get("qa", "/network/dashboard-link")["url"]
    print(f"\nNetwork view (every program side by side):\n  network view: {network}")
    if unmatched or not held:
        print(f"\nnothing to show: no matches in {unmatched or 'any program'} or no sessions")
        return 1
    return 0


def _figures(health: Json) -> dict[str, Any]:
    return {
        "active matches": health["matching"]["active_matches"],
        "completed matches": health["matching"]["completed_matches"],
        "waitlisted": health["matching"]["waitlisted"],
        "mentor utilisation": health["utilisation"]["utilisation"],
        "sessions held": health["attendance"]["held"],
        "attendance rate": health["attendance"]["attendance_rate"],
        "follow-up completion": health["follow_up"]["completion_rate"],
        "rubric average": health["rubric"]["average"],
        "open escalations": health["escalations"]["open"],
        "QA sampled / reviewed": (
            f"{health['qa_sampling']['sampled']} / {health['qa_sampling']['reviewed']}"
        ),
        "fairness disparities": health["fairness"]["disparities"] if health["fairness"] else "-",
    }
