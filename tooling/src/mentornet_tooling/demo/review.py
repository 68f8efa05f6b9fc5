"""QA reviewers work through the sampled sessions, and a fairness audit is run."""

from __future__ import annotations

import random

from mentornet_tooling.demo.client import Api
from mentornet_tooling.demo.enrolment import Program

DIMENSIONS = ("relevance", "clarity", "specificity", "accountability", "confidence_gain")
REVIEWERS = ("reviewer-ana", "reviewer-bo")


def review_samples(api: Api, programs: list[Program], rng: random.Random) -> int:
    reviewed = 0
    for program in programs:
        for reviewer in REVIEWERS:
            who = (reviewer, "reviewer")
            listed = api.get("qa", f"/programs/{program.program_id}/samples", as_=who)
            for sample in listed["samples"]:
                path = f"/samples/{sample['sample_id']}"
                if "error" in api.post("qa", f"{path}/claim", as_=who, allow=(403, 409)):
                    continue
                body = {
                    "rubric": {d: rng.choice((3, 4, 4, 5)) for d in DIMENSIONS},
                    "outcome": "passed" if rng.random() < 0.85 else "coaching",
                    "comment": "Clear goals; agreed next steps.",
                }
                done = api.post("qa", f"{path}/reviews", body, as_=who, allow=(403, 409))
                reviewed += "error" not in done
    return reviewed


def audit(api: Api, programs: list[Program]) -> None:
    for program in programs:
        api.post("qa", f"/programs/{program.program_id}/fairness-audits", allow=(409,))
