"""Each figure's chart as a Vega-Lite spec, rendered to SVG on the server by vl-convert
(no script in the page). A chart is drawn at two widths, for a wide screen and for a
phone, with its legend below the plot so nothing is cut at either."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache

import vl_convert

from ...domain.tables import Table
from .chart_specs import NARROW, PALETTE, WIDE, Spec, bars_of, outcomes, skills, weekly

__all__ = ["NARROW", "WIDE", "spec_of", "svg"]
CONFIG: Spec = {
    "font": "DejaVu Sans, Verdana, sans-serif",
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 120},
    "legend": {"orient": "bottom", "labelFontSize": 11, "labelLimit": 240, "columns": 2},
    "range": {"category": PALETTE},
    "view": {"stroke": None},
}


CHARTS: dict[str, Callable[[Table, int], Spec | None]] = {
    "funnel": bars_of("step", "people"),
    "outcomes": outcomes,
    "escalations_by_age": bars_of("age", "count"),
    "unbookable_by_reason": bars_of("reason", "count"),
    "fairness": lambda t, w: bars_of("group", "match_rate")(
        {**t, "rows": [{**r, "group": f"{r['attribute']}: {r['group']}"} for r in t["rows"]]}, w
    ),
    "by_segment": bars_of("segment", "matched_rate"),
    "by_cohort": bars_of("cohort", "attendance_rate"),
    "network_programs": bars_of("program", "active_matches"),
    "network_mentor_load": bars_of("load", "mentors"),
    "network_skills": skills,
}


def spec_of(found: Table, width: int) -> Spec | None:
    """The figure's Vega-Lite spec at this plot width; None if it has no chart (a list,
    the headline tiles) or nothing to draw yet."""
    if found["figure"].startswith("weekly_"):
        spec = weekly(found, width)
    elif found["figure"] in CHARTS:
        spec = CHARTS[found["figure"]](found, width)
    else:
        return None
    if spec is None:
        return None
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": CONFIG,
        "background": "white",
        **spec,
    }


@lru_cache(maxsize=256)
def _svg(spec_json: str) -> str:
    return str(vl_convert.vegalite_to_svg(json.loads(spec_json)))


def svg(spec: Spec) -> str:
    """The spec drawn as SVG (the same spec twice is drawn once)."""
    return _svg(json.dumps(spec, sort_keys=True, default=str))
