"""`make run` ends here: publish a program, register people, show the matcher's
explained proposals and who is waiting, and why.

Talks only to the services' public HTTP APIs, as a coordinator would.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from typing import Any

import httpx
from mentornet_chassis.auth import DEV_KEY, mint
from mentornet_chassis.devstack import DevConfig

ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Europe/London",
    "America/Los_Angeles",
    "Asia/Kolkata",
]
CONSENT = {"version": "2026-10", "accepted_at": "2026-11-01T09:00:00Z"}
PROGRAM = {
    "name": "Platform engineering mentoring",
    "tier": "standard",
    "duration_weeks": 12,
    "cadence": {"sessions_per_month": 2, "session_minutes": 45},
}


def _window(day: str, start: str, end: str) -> dict[str, str]:
    return {"weekday": day, "start": start, "end": end}


def _person(kind: str, n: int, run: str, program_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "program_id": program_id,
        "display_name": f"Demo {kind} {n}",
        "email": f"{kind}{n}-{run}@demo.example.org",
        "languages": ["en"],
        "consent": CONSENT,
        "formats": ["video"],
        "availability": {
            "timezone": ZONES[n % len(ZONES)],
            "weekly": [_window("tue", "09:00", "11:00"), _window("thu", "15:00", "17:00")],
        },
    }
    if kind == "mentor":
        body["skills"] = [
            {"skill_id": "python", "level": 5},
            {"skill_id": "kubernetes", "level": 4},
        ]
    else:
        body["goals"] = [
            {
                "goal_id": "g1",
                "statement": "Run my team's on-call well",
                "target_skills": [{"skill_id": "kubernetes", "level": 3}],
            }
        ]
        body["urgency"] = 1 + n % 5
    return body


def _ok(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 400:
        raise SystemExit(
            f"{response.request.method} {response.request.url}: "
            f"{response.status_code} {response.text}"
        )
    result: dict[str, Any] = response.json()
    return result


def main() -> int:
    cfg = DevConfig()
    intake = f"http://127.0.0.1:{cfg.http_port('intake')}"
    matcher = f"http://127.0.0.1:{cfg.http_port('matcher')}"
    key = os.environ.get("AUTH_HS256_KEY", DEV_KEY)
    run = uuid.uuid4().hex[:6]
    coordinator = {"Authorization": f"Bearer {mint(key, f'coordinator-{run}', ['coordinator'])}"}
    with httpx.Client(timeout=10, headers=coordinator) as http:
        program_id = _ok(http.post(f"{intake}/programs", json=PROGRAM))["program_id"]
        _ok(http.post(f"{intake}/programs/{program_id}/publish"))
        people = [
            _ok(
                http.post(f"{intake}/participants/{kind}s", json=_person(kind, n, run, program_id))
            )["participant_id"]
            for kind, count in (("mentor", 3), ("mentee", 6))
            for n in range(count)
        ]
        seen = _wait_for_matcher(http, matcher, people)
        runs_it = mint(key, f"coordinator-{run}", ["coordinator"], programs=[program_id])
        board = _wait_for_proposals(http, matcher, program_id, runs_it, mentees=6)
        latest, gaps = _batch_and_gaps(http, matcher, program_id, runs_it)
    print(f"\nDemo program {program_id} published; 3 mentors and 6 mentees registered.")
    print(f"The matcher's read model holds {seen} of {len(people)} of them.")
    _show(board)
    _show_run(latest, gaps)
    print(f"\nAll of it: curl -H 'Authorization: Bearer {runs_it}' \\")
    print(f"  {matcher}/programs/{program_id}/matches")
    placed = len(board["matches"]) + len(board["waitlisted"])
    return 0 if seen == len(people) and placed == 6 else 1


def _wait_for_proposals(
    http: httpx.Client, matcher: str, program_id: str, token: str, mentees: int
) -> dict[str, Any]:
    """Until every mentee has a proposal or a waitlist entry (or 30 s pass)."""
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + 30
    board: dict[str, Any] = {"matches": [], "waitlisted": []}
    while time.monotonic() < deadline:
        board = _ok(http.get(f"{matcher}/programs/{program_id}/matches", headers=headers))
        if len(board["matches"]) + len(board["waitlisted"]) >= mentees:
            break
        time.sleep(0.5)
    return board


def _batch_and_gaps(
    http: httpx.Client, matcher: str, program_id: str, token: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Ask for a batch run, as a coordinator would, and read its certified result."""
    headers = {"Authorization": f"Bearer {token}"}
    runs = f"{matcher}/programs/{program_id}/matching-runs"
    _ok(http.post(runs, headers=headers))
    deadline, latest = time.monotonic() + 30, {}
    while time.monotonic() < deadline:
        latest = _ok(http.get(f"{runs}/latest", headers=headers))
        if not latest["pending"] and latest["last"]:
            break
        time.sleep(0.5)
    gaps = _ok(http.get(f"{matcher}/programs/{program_id}/coverage", headers=headers))
    return latest, gaps


def _show_run(latest: dict[str, Any], gaps: dict[str, Any]) -> None:
    last = latest.get("last") or {}
    if last:
        print(
            f"\nLast batch run: {last['proposed']} proposed, {last['waitlisted']} waitlisted; "
            f"total {last['total_score']:.3f}, LP bound {last['lp_bound']:.3f}, "
            f"gap {last['optimality_gap']:.1e} (certified optimal when 0)"
        )
    for gap in gaps["skills"]:
        print(
            f"  coverage gap: {gap['skill_id']}: {gap['waiting']} waiting, {gap['places']} places"
        )


def _show(board: dict[str, Any]) -> None:
    for match in board["matches"]:
        print(
            f"\n  {match['mentee_id']} -> {match['mentor_id']}  score {match['score']:.2f}"
            f"  ({match['status']})"
        )
        for part in match["explanation"][:4]:
            print(f"    {part['signal']:<12} +{part['contribution']:.2f}  {part['text']}")
    for waiting in board["waitlisted"]:
        short = waiting.get("short_skills") or []
        needs = f"; nobody with room offers {', '.join(short)}" if short else ""
        print(f"\n  {waiting['mentee_id']} waits: {', '.join(waiting['reasons'])}{needs}")


def _wait_for_matcher(
    http: httpx.Client, matcher: str, people: list[str], timeout_s: float = 30
) -> int:
    deadline, seen = time.monotonic() + timeout_s, 0
    while time.monotonic() < deadline:
        seen = sum(http.get(f"{matcher}/candidates/{pid}").status_code == 200 for pid in people)
        if seen == len(people):
            break
        time.sleep(0.3)
    return seen


if __name__ == "__main__":
    sys.exit(main())
