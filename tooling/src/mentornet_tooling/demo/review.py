"""QA reviewers work through the sampled sessions, and a fairness audit is run."""

from __future__ import annotations

import random
from functools import partial
from typing import Any

from mentornet_tooling.demo.client import Api
from mentornet_tooling.demo.enrolment import Program

DIMENSIONS = ("relevance", "clarity", "specificity", "accountability", "confidence_gain")
REVIEWERS = ("reviewer-ana", "reviewer-bo")


def review_samples(api: Api, programs: list[Program], rng: random.Random) -> int:
    """Both reviewers work through each program's samples at the same time; a sample
    the other claimed first is left to them."""
    reviewed = 0
    for program in programs:
        for reviewer in REVIEWERS:
            who = (reviewer, "reviewer")
            listed = api.get("qa", f"/programs/{program.program_id}/samples", as_=who)
            jobs = [(sample, _verdict(rng)) for sample in listed["samples"]]
            reviewed += sum(api.each(partial(_review, api, who), jobs))
    return reviewed


def _verdict(rng: random.Random) -> dict[str, Any]:
    return {
        "rubric": {d: rng.choice((3, 4, 4, 5)) for d in DIMENSIONS},
        "outcome": "passed" if rng.random() < 0.85 else "coaching",
        "comment": "Clear goals; agreed next steps.",
    }


def _review(api: Api, who: tuple[str, str], job: tuple[dict[str, Any], dict[str, Any]]) -> bool:
    sample, body = job
    path = f"/samples/{sample['sample_id']}"
    if "error" in api.post("qa", f"{path}/claim", as_=who, allow=(403, 409)):
        return False
    return "error" not in api.post("qa", f"{path}/reviews", body, as_=who, allow=(403, 409))


def audit(api: Api, programs: list[Program]) -> None:
    for program in programs:
        api.post("qa", f"/programs/{program.program_id}/fairness-audits", allow=(409,))
