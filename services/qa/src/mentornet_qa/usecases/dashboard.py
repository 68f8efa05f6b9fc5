"""The program health dashboard: one server-rendered HTML page with inline SVG charts,
no scripts and no build step. Every figure carries `data-figure="<path>"`, the path
of the same number in the JSON API's answer, so the two can be compared."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from ..domain.audits import AuditRecord
from ..domain.figures import Health, NoAudit
from ..domain.outcome_report import Figure

STYLE = """
body{font:15px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#f6f7f9}
h1{font-size:22px;margin:0 0 4px}h2{font-size:15px;margin:0 0 10px;color:#444}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px}
.card{background:#fff;border-radius:8px;padding:16px;box-shadow:0 1px 2px #0002}
.big{font-size:30px;font-weight:600}.muted{color:#667}.row{display:flex;gap:18px;flex-wrap:wrap}
.flag{color:#b3261e;font-weight:600}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:3px 6px;border-bottom:1px solid #eee;font-size:13px}
"""


def _shown(value: Any, percent: bool = False) -> str:
    if value is None:
        return "—"
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:g}" if isinstance(value, float) else str(value)


def figure(path: str, value: Any, label: str, *, percent: bool = False) -> str:
    raw = "" if value is None else str(value)
    return (
        f'<div><div class="big" data-figure="{escape(path)}" data-value="{escape(raw)}">'
        f'{escape(_shown(value, percent))}</div><div class="muted">{escape(label)}</div></div>'
    )


def bars(items: list[tuple[str, float]], width: int = 280) -> str:
    """A horizontal bar chart in SVG."""
    top = max((v for _, v in items), default=0) or 1
    height = 22 * len(items) + 4
    rows = []
    for n, (label, value) in enumerate(items):
        y = 4 + 22 * n
        length = int((width - 110) * value / top)
        rows.append(
            f'<text x="0" y="{y + 13}" font-size="12">{escape(label)}</text>'
            f'<rect x="100" y="{y}" width="{length}" height="16" fill="#3b6fd8" rx="3"/>'
            f'<text x="{104 + length}" y="{y + 13}" font-size="12">{_shown(value)}</text>'
        )
    return f'<svg width="{width}" height="{height}" role="img">{"".join(rows)}</svg>'


def line(points: list[tuple[str, float]], width: int = 280, height: int = 120) -> str:
    """A line chart in SVG (values 1 to 5, like the rubric)."""
    if not points:
        return '<p class="muted">No rubric answers yet.</p>'
    step = (width - 40) / max(1, len(points) - 1)
    xy = [
        (20 + i * step, height - 20 - (v - 1) / 4 * (height - 40))
        for i, (_, v) in enumerate(points)
    ]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(xy))
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#3b6fd8"/>' for x, y in xy)
    labels = "".join(
        f'<text x="{x:.1f}" y="{height - 4}" font-size="10" text-anchor="middle">{escape(m)}</text>'
        for (m, _), (x, _) in zip(points, xy, strict=True)
    )
    stroke = f'<path d="{path}" fill="none" stroke="#3b6fd8" stroke-width="2"/>'
    return f'<svg width="{width}" height="{height}" role="img">{stroke}{dots}{labels}</svg>'


def _card(title: str, body: str) -> str:
    return f'<section class="card"><h2>{escape(title)}</h2>{body}</section>'


def _pair_cards(health: Health) -> list[str]:
    """How the pairs do: matching, mentors' places, attendance, scheduling, follow-up."""
    m, u, a = health["matching"], health["utilisation"], health["attendance"]
    f = health["follow_up"]
    return [
        _card(
            "Matching",
            '<div class="row">'
            + figure("matching.active_matches", m["active_matches"], "active matches")
            + figure("matching.completed_matches", m["completed_matches"], "ran their course")
            + figure("matching.waitlisted", m["waitlisted"], "waiting")
            + figure(
                "matching.days_to_match_median", m["days_to_match_median"], "median days to match"
            )
            + "</div>",
        ),
        _card(
            "Mentor utilisation",
            figure(
                "utilisation.utilisation",
                u["utilisation"],
                f"{u['taken']} of {u['places']} places taken",
                percent=True,
            )
            + bars([("taken", u["taken"]), ("free", max(0, u["places"] - u["taken"]))]),
        ),
        _card(
            "Attendance",
            figure(
                "attendance.attendance_rate", a["attendance_rate"], "of sessions held", percent=True
            )
            + bars([("held", a["held"]), ("missed", a["missed"])]),
        ),
        _scheduling(health),
        _card(
            "Follow-up completion",
            figure(
                "follow_up.completion_rate",
                f["completion_rate"],
                f"{f['completed']} of {f['items']} action items done",
                percent=True,
            ),
        ),
    ]


def _scheduling(health: Health) -> str:
    """Dates that could not be booked, by reason, and the matches on hold."""
    s = health["scheduling"]
    return _card(
        "Scheduling",
        '<div class="row">'
        + figure("scheduling.unbookable_sessions", s["unbookable_sessions"], "unbookable sessions")
        + figure("scheduling.matches_affected", s["matches_affected"], "matches affected")
        + figure("scheduling.paused_matches", s["paused_matches"], "matches paused now")
        + "</div>"
        + (bars(list(s["by_reason"].items())) if s["by_reason"] else ""),
    )


def _quality_cards(health: Health) -> list[str]:
    """How QA sees the program: rubric, escalations, fairness, coverage, sampling."""
    r, e, qa = health["rubric"], health["escalations"], health["qa_sampling"]
    return [
        _card(
            "Rubric",
            figure("rubric.average", r["average"], f"average of {r['responses']} answers (1-5)")
            + line([(p["month"], p["average"]) for p in r["by_month"]]),
        ),
        _card(
            "Escalations",
            '<div class="row">'
            + figure("escalations.open", e["open"], "open")
            + figure("escalations.overdue", e["overdue"], "past their SLA")
            + figure("escalations.resolved", e["resolved"], "resolved")
            + "</div>"
            + bars(list(e["by_age"].items())),
        ),
        _card("Fairness", _fairness(health["fairness"])),
        _card("Coverage gaps", _coverage(health["coverage_gaps"])),
        _card(
            "QA sampling",
            '<div class="row">'
            + figure("qa_sampling.sampled", qa["sampled"], "sessions sampled")
            + figure("qa_sampling.reviewed", qa["reviewed"], "reviewed")
            + figure(
                "qa_sampling.agreement_exact",
                qa["agreement_exact"],
                "reviewers agree exactly",
                percent=True,
            )
            + "</div>",
        ),
    ]


def _outcomes(outcomes: Mapping[str, Figure]) -> str:
    """The program-wide outcome figures with their sample sizes and 95% intervals."""
    shown = []
    for name, f in outcomes.items():
        if f["suppressed"]:
            note = f["suppressed"]
        elif f["ci_low"] is None:
            note = f"n={f['n']}"
        else:
            note = f"n={f['n']}, 95% CI {_shown(f['ci_low'])}-{_shown(f['ci_high'])}"
        label = f"{name.replace('_', ' ')} ({f['statistic']}): {note}"
        shown.append(figure(f"outcomes.{name}.value", f["value"], label))
    return '<div class="row">' + "".join(shown) + "</div>" if shown else ""


def render(health: Health) -> str:
    cards = [*_pair_cards(health), *_quality_cards(health)]
    if health.get("outcomes"):
        cards.append(_card("Outcomes", _outcomes(health.get("outcomes") or {})))
    title = escape(health.get("name") or health["program_id"])
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}: program health</title>"
        f"<style>{STYLE}</style></head><body><h1>{title}</h1>"
        f'<p class="muted">Program health as of {escape(health["as_of"][:16])} UTC</p>'
        f'<div class="grid">{"".join(cards)}</div></body></html>'
    )


def _fairness(fairness: AuditRecord | NoAudit) -> str:
    head = figure(
        "fairness.disparities",
        fairness.get("disparities", 0),
        f"disparities flagged (audited {fairness.get('audited_at') or 'never'})",
    )
    rows = "".join(
        f"<tr><td>{escape(a['attribute'])}</td><td>{escape(d['group'])}</td>"
        f'<td>{escape(d["metric"])}</td><td class="flag">{d["ratio"]:.2f}</td></tr>'
        for a in fairness.get("attributes", [])
        for d in a["disparities"]
    )
    table = (
        "<table><tr><th>attribute</th><th>group</th><th>metric</th><th>ratio</th></tr>"
        f"{rows}</table>"
        if rows
        else ""
    )
    return head + table


def _coverage(coverage: Mapping[str, Any]) -> str:
    """The matcher's report (`skill_ids`) or the figures of a program it has not
    reported on (`skills`)."""
    skills = coverage.get("skill_ids") or coverage.get("skills") or []
    head = figure(
        "coverage_gaps.waiting_mentees",
        coverage.get("waiting_mentees", 0),
        "mentees waiting for missing skills",
    )
    listed = ", ".join(escape(str(s)) for s in skills) or "none"
    return (
        head
        + '<p>Skills without mentors: <span data-figure="coverage_gaps.skill_ids">'
        + f"{listed}</span></p>"
    )
