"""Program health (figures.py) as dashboard tables: the headline figures, the lagging
outcomes with their intervals, coverage gaps, the fairness audit, escalations by age
and the dates the scheduler could not book."""

from __future__ import annotations

from collections.abc import Mapping

from .figures import Health
from .outcome_report import Figure
from .tables import Cell, Table, column, percent, plural, said, table

HEADLINE_COLUMNS = [
    column("indicator", "indicator", "text"),
    column("label", "figure", "text"),
    column("value", "value", "number"),
    column("unit", "unit", "text"),
]
"""A headline row carries its own unit (count, rate, days, score), so one table holds
figures of different kinds; a rate is a fraction."""


def headline_row(indicator: str, label: str, value: Cell, unit: str) -> dict[str, Cell]:
    return {"indicator": indicator, "label": label, "value": value, "unit": unit}


_row = headline_row


def headline(health: Health) -> Table:
    m, u, a = health["matching"], health["utilisation"], health["attendance"]
    f, r, e, q = health["follow_up"], health["rubric"], health["escalations"], health["qa_sampling"]
    s = health["scheduling"]
    rows = [
        _row("mentees", "mentees registered", m["mentees"], "count"),
        _row("active_matches", "active matches", m["active_matches"], "count"),
        _row("completed_matches", "matches that ran their course", m["completed_matches"], "count"),
        _row("waitlisted", "mentees waiting", m["waitlisted"], "count"),
        _row("days_to_match_median", "median days to match", m["days_to_match_median"], "days"),
        _row("utilisation", f"of {u['places']} mentor places taken", u["utilisation"], "rate"),
        _row("attendance_rate", "of sessions held", a["attendance_rate"], "rate"),
        _row("follow_up", f"of {f['items']} action items done", f["completion_rate"], "rate"),
        _row("rubric_average", f"rubric average ({r['responses']} answers)", r["average"], "score"),
        _row(
            "unbookable_sessions",
            "sessions that could not be booked",
            s["unbookable_sessions"],
            "count",
        ),
        _row("matches_affected", "matches with dates not booked", s["matches_affected"], "count"),
        _row("paused_matches", "matches paused now", s["paused_matches"], "count"),
        _row("escalations_open", "escalations open", e["open"], "count"),
        _row("escalations_past_sla", "escalations past their SLA", e["overdue"], "count"),
        _row("qa_sampled", "sessions sampled for QA", q["sampled"], "count"),
        _row("qa_agreement", "reviewers agree exactly", q["agreement_exact"], "rate"),
    ]
    summary = (
        f"{plural(m['mentees'], 'mentee')} registered, "
        f"{plural(m['active_matches'], 'active match', 'active matches')}, "
        f"{m['waitlisted']} waiting; {percent(u['utilisation'])} of mentor places taken, "
        f"attendance {percent(a['attendance_rate'])}, "
        f"{plural(e['open'], 'escalation')} open ({e['overdue']} past their SLA)."
    )
    return table("headline", "Headline figures", summary, HEADLINE_COLUMNS, rows)


def _value(found: Figure) -> str:
    return said(found["value"], "rate" if found["statistic"] == "proportion" else "number")


def outcomes(figures: Mapping[str, Figure]) -> Table:
    """The lagging indicators, each with its n and 95% interval (a hidden one says why)."""
    rows: list[dict[str, Cell]] = [
        {
            "indicator": name,
            "statistic": f["statistic"],
            "value": f["value"],
            "ci_low": f["ci_low"],
            "ci_high": f["ci_high"],
            "n": f["n"],
            "suppressed": f["suppressed"],
        }
        for name, f in figures.items()
    ]
    shown = [
        f"{name.replace('_', ' ')} {_value(f)} (n = {f['n']})"
        for name, f in figures.items()
        if f["value"] is not None
    ]
    summary = ("Outcomes so far: " + "; ".join(shown) + ".") if shown else "No outcomes yet."
    columns = [
        column("indicator", "outcome", "text"),
        column("statistic", "statistic", "text"),
        column("value", "value", "number"),
        column("ci_low", "95% CI low", "number"),
        column("ci_high", "95% CI high", "number"),
        column("n", "n", "count"),
        column("suppressed", "hidden because", "text"),
    ]
    return table("outcomes", "Outcomes (lagging indicators)", summary, columns, rows)


def coverage_gaps(health: Health) -> Table:
    coverage = health["coverage_gaps"]
    listed = coverage.get("skill_ids") or coverage.get("skills") or []
    skills = [str(s) for s in listed] if isinstance(listed, list) else []
    waiting = int(coverage.get("waiting_mentees") or 0)
    summary = (
        f"{len(skills)} skills have no mentor with a free place: {', '.join(skills)}; "
        f"{waiting} mentees wait for them."
        if skills
        else "Every skill mentees want has a mentor with a free place."
    )
    return table(
        "coverage_gaps",
        "Coverage gaps: skills without mentors",
        summary,
        [column("skill", "skill", "text")],
        [{"skill": s} for s in skills],
        note=f"{waiting} mentees waiting for these skills.",
    )


def fairness(health: Health) -> Table:
    audit = health["fairness"]
    flagged = {
        (a["attribute"], d["group"], d["metric"]): d["ratio"]
        for a in audit.get("attributes", [])
        for d in a["disparities"]
    }
    rows: list[dict[str, Cell]] = [
        {
            "attribute": a["attribute"],
            "group": g["group"],
            "people": g["people"],
            "suppressed": g["suppressed"],
            "match_rate": g.get("match_rate"),
            "days_to_match": g.get("days_to_match"),
            "rematch_rate": g.get("rematch_rate"),
            "early_closure_rate": g.get("early_closure_rate"),
            "rubric_average": g.get("rubric_average"),
            "flagged": ", ".join(
                m for (at, gr, m) in flagged if at == a["attribute"] and gr == g["group"]
            )
            or None,
        }
        for a in audit.get("attributes", [])
        for g in a["groups"]
    ]
    when = audit.get("audited_at")
    summary = (
        f"The audit found {plural(audit.get('disparities', 0), 'disparity', 'disparities')} "
        f"across {plural(len(audit.get('attributes', [])), 'attribute', 'attributes')};"
        " groups under 5 people are hidden."
        if when
        else "The program has not been audited yet."
    )
    columns = [
        column("attribute", "attribute", "text"),
        column("group", "group", "text"),
        column("people", "people", "text"),
        column("suppressed", "hidden (under 5)", "text"),
        column("match_rate", "matched", "rate"),
        column("days_to_match", "days to match", "number"),
        column("rematch_rate", "rematched", "rate"),
        column("early_closure_rate", "closed early", "rate"),
        column("rubric_average", "rubric", "number"),
        column("flagged", "disparity flagged", "text"),
    ]
    found = table("fairness", "Fairness audit by group", summary, columns, rows)
    if when:
        found["at"] = when
    return found


def counts(figure: str, title: str, label: str, found: Mapping[str, int], what: str) -> Table:
    """A one-dimensional count (escalations by age, unbookable dates by reason)."""
    rows: list[dict[str, Cell]] = [{label: k, "count": v} for k, v in found.items()]
    said = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in found.items() if v) or "none"
    return table(
        figure,
        title,
        f"{sum(found.values())} {what}: {said}.",
        [column(label, label, "text"), column("count", what)],
        rows,
    )


def health_tables(health: Health) -> list[Table]:
    e, s = health["escalations"], health["scheduling"]
    return [
        headline(health),
        outcomes(health.get("outcomes") or {}),
        coverage_gaps(health),
        fairness(health),
        counts(
            "escalations_by_age", "Open escalations by age", "age", e["by_age"], "open escalations"
        ),
        counts(
            "unbookable_by_reason",
            "Sessions that could not be booked, by reason",
            "reason",
            s["by_reason"],
            "unbookable sessions",
        ),
    ]
