"""The demo's matching experiment: the coordinator of the standard program compares
its own weights (arm a, the control) with a skills-first rule (arm b) on skill growth,
as its mentees register; at the end, QA's analysis and outcome report are printed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mentornet_tooling.demo.client import Api, Json, until
from mentornet_tooling.demo.enrolment import Program

PROGRAM = "standard"
MAX_SAMPLE_PER_ARM = 30
SKILLS_FIRST = {"skills": 0.9, "availability": 0.05, "timezone": 0.05}
NAME = "Skills first vs the program's weights"
REPORTED = ("skill_growth", "goal_completion", "satisfaction", "retention", "time_to_match_days")


@dataclass(frozen=True)
class Experiment:
    program: Program
    experiment_id: str
    seed: int

    @property
    def path(self) -> str:
        return f"/programs/{self.program.program_id}/experiments/{self.experiment_id}"


def sample_per_arm(mentees: int) -> int:
    """About 40% of the program's mentees per arm (10 of a quick run's 24), at most
    MAX_SAMPLE_PER_ARM: the rest are matched with the program's weights."""
    return min(MAX_SAMPLE_PER_ARM, max(5, mentees * 5 // 12))


def body(experiment_id: str, weights: dict[str, float], seed: int, per_arm: int) -> Json:
    """POST /programs/{program_id}/experiments: arm a keeps the program's weights."""
    return {
        "experiment_id": experiment_id,
        "name": NAME,
        "arms": [
            {"arm_id": "a", "rule": {"rule_id": "program", "version": 1, "weights": weights}},
            {
                "arm_id": "b",
                "rule": {"rule_id": "skills-first", "version": 1, "weights": SKILLS_FIRST},
            },
        ],
        "control_arm_id": "a",
        "primary_outcome": "skill_growth",
        "stop_rule": {"min_sample_per_arm": per_arm, "max_weeks": 12},
        "seed": seed,
    }


def define(api: Api, programs: list[Program], run: str, seed: int, scale: float) -> Experiment:
    """Defined before anyone registers: each mentee is assigned to an arm as they
    register, before the matcher places them (a 404 while the matcher has not yet
    heard of the program)."""
    program = next(p for p in programs if p.plan.key == PROGRAM)
    weights = program.plan.spec["matching_weights"]
    experiment = Experiment(program, f"exp-skills-first-{run}", seed)
    path = f"/programs/{program.program_id}/experiments"
    per_arm = sample_per_arm(max(2, round(program.plan.mentees * scale)))
    wanted = body(experiment.experiment_id, weights, seed, per_arm)

    def defined() -> bool:
        return "error" not in api.post("matcher", path, wanted, allow=(404,))

    until("the matcher to know the experiment's program", defined, timeout_s=60)
    return experiment


def assigned(api: Api, experiment: Experiment) -> None:
    """Once each arm has its sample (or every mentee has an arm)."""
    program = experiment.program

    def done() -> bool:
        view = api.get("matcher", experiment.path)
        total = sum(int(arm["mentees"]) for arm in view["assigned"])
        return bool(view["status"] == "stopped" or total >= len(program.mentees))

    until("the experiment's arms to be assigned", done, timeout_s=60)
    counts = api.get("matcher", experiment.path)["assigned"]
    arms = ", ".join(f"{arm['arm_id']} {arm['mentees']}" for arm in counts)
    print(f"Experiment in {PROGRAM}: {NAME}; mentees per arm: {arms}")


def results(api: Api, experiment: Experiment, expected: int) -> Json:
    """QA's analysis once it counts `expected` mentees with a skill growth."""
    path = f"{experiment.path}/results"

    def counted() -> bool:
        return sum(int(arm["n"]) for arm in api.get("qa", path)["arms"]) >= expected

    until(f"QA to count the outcomes of {expected} mentees", counted, timeout_s=90)
    return api.get("qa", path)


def show(api: Api, experiment: Experiment, found: Json, fits: dict[str, float]) -> None:
    """`fits`: each arm's mean skill fit, the matcher's skills signal of its pairs."""
    print(
        f"\nExperiment: {found['name']} ({found['primary_outcome'].replace('_', ' ')}, "
        f"{found['min_sample_per_arm']} mentees per arm needed): {found['status']}"
    )
    fit = ", ".join(f"{arm} {value:.2f}" for arm, value in fits.items())
    print(f"  skill fit of the arms' pairs (simulated growth follows it): {fit}")
    for arm in found["arms"]:
        print(f"  {_arm_line(arm)}")
    print(f"  {found['verdict']}")
    report = api.get("qa", f"/programs/{experiment.program.program_id}/outcomes?by=program")
    print(f"Outcome report of {experiment.program.plan.spec['name']}:")
    for group in report["groups"][:1]:
        shown = {f["indicator"]: f for f in group["indicators"]}
        for name in REPORTED:
            if name in shown:
                print(f"  {name.replace('_', ' '):<22} {_figure(shown[name])}")


def _arm_line(arm: Json) -> str:
    rule = f"{arm['rule_id']} v{arm['rule_version']}" + (", control" if arm["control"] else "")
    if arm["mean"] is None:
        return f"arm {arm['arm_id']} ({rule}): n {arm['n']}"
    return (
        f"arm {arm['arm_id']} ({rule}): n {arm['n']}, mean {arm['mean']:.2f}{_interval(arm['ci'])}"
    )


def _figure(figure: dict[str, Any]) -> str:
    if figure["value"] is None:
        return f"n {figure['n']}: {figure['suppressed'] or 'unknown'}"
    interval = _interval([figure["ci_low"], figure["ci_high"]])
    return f"{figure['value']:.2f} ({figure['statistic']}, n {figure['n']}){interval}"


def _interval(ci: list[float | None] | None) -> str:
    if not ci or ci[0] is None or ci[1] is None:
        return ""
    return f", 95% CI {ci[0]:.2f} to {ci[1]:.2f}"
