"""The kinds of chart the dashboards draw, as Vega-Lite specs over a figure's table: a
line per indicator over weeks, a bar per row, intervals per outcome, grouped bars per
skill. Widths are the plot's; labels and legends are sized so nothing is cut."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ...domain.tables import Column, Table

Spec = dict[str, Any]
WIDE, NARROW = 500, 270
"""Plot widths in px: a card of a two-column grid at 1400 px, and a 390 px phone."""
PALETTE = ["#3b6fd8", "#e07b39", "#2f9e6e", "#b3261e", "#7a5cc4", "#8a8f98"]


def _kind_axis(kind: str) -> Spec:
    if kind == "rate":
        return {"format": ".0%"}
    return {"format": "d", "tickMinStep": 1} if kind == "count" else {}


def _scale(kind: str, figure: str) -> Spec:
    """Rates on 0-100%, 1-5 scores on 1-5; counts from zero."""
    if kind == "rate":
        return {"domain": [0, 1]}
    if figure == "weekly_scores":
        return {"domain": [1, 5]}
    return {"zero": True}


def weekly(found: Table, width: int) -> Spec | None:
    lines = [c for c in found["columns"] if c["key"] != "week"]
    values = [
        {"week": _day(str(row["week"])), "line": c["label"], "value": row[c["key"]]}
        for row in found["rows"]
        for c in lines
        if row[c["key"]] is not None
    ]
    if not values:
        return None
    kind = lines[0]["kind"]
    return {
        "width": width,
        "height": 170,
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "strokeWidth": 2},
        "encoding": {
            "x": {
                "field": "week",
                "type": "ordinal",
                "sort": [_day(str(row["week"])) for row in found["rows"]],
                "title": "week starting",
                "axis": {"labelAngle": 0, "labelOverlap": True},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": None,
                "axis": _kind_axis(kind),
                "scale": _scale(kind, found["figure"]),
            },
            "color": {
                "field": "line",
                "type": "nominal",
                "title": None,
                "sort": [c["label"] for c in lines],
            },
        },
    }


def _day(iso: str) -> str:
    """A week's Monday as an axis label: '2026-12-07' -> '7 Dec'."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%b}"


def _bars(label: str, value: Column, values: list[dict[str, Any]], width: int) -> Spec | None:
    """None when every bar is zero: an empty axis tells nothing the summary does not."""
    if not any(v["value"] for v in values):
        return None
    axis = _kind_axis(value["kind"])
    return {
        "width": width,
        "height": {"step": 22},
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "bar", "color": PALETTE[0], "cornerRadiusEnd": 2}},
            {
                "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 11},
                "encoding": {"text": {"field": "value", "type": "quantitative", **axis}},
            },
        ],
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelLimit": 120 if width < WIDE else 230},
            },
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": value["label"],
                "axis": axis,
                "scale": _scale(value["kind"], label),
            },
        },
    }


def bars_of(label_key: str, value_key: str) -> Callable[[Table, int], Spec | None]:
    """A horizontal bar per row: its `label_key` against its `value_key`."""

    def spec(found: Table, width: int) -> Spec | None:
        value = next(c for c in found["columns"] if c["key"] == value_key)
        values = [
            {"label": str(row[label_key]), "value": row[value_key]}
            for row in found["rows"]
            if row.get(value_key) is not None
        ]
        return _bars(label_key, value, values, width)

    return spec


def outcomes(found: Table, width: int) -> Spec | None:
    values = [
        {**row, "label": str(row["indicator"]).replace("_", " ")}
        for row in found["rows"]
        if row["value"] is not None
    ]
    if not values:
        return None
    return {
        "data": {"values": values},
        "facet": {
            "row": {
                "field": "label",
                "type": "nominal",
                "title": None,
                "header": {
                    "labelAngle": 0,
                    "labelAlign": "left",
                    "labelFontSize": 11,
                    "labelOrient": "top",
                    "labelPadding": 2,
                },
            }
        },
        "spec": {
            "width": width,
            "height": 18,
            "layer": [
                {
                    "mark": {"type": "rule", "strokeWidth": 2, "color": PALETTE[0]},
                    "encoding": {
                        "x": {"field": "ci_low", "type": "quantitative"},
                        "x2": {"field": "ci_high"},
                    },
                },
                {
                    "mark": {"type": "point", "filled": True, "size": 60, "color": PALETTE[0]},
                    "encoding": {
                        "x": {
                            "field": "value",
                            "type": "quantitative",
                            "title": None,
                            "scale": {"zero": False},
                            "axis": {"tickCount": 4, "labelOverlap": True, "labelFlush": True},
                        }
                    },
                },
            ],
        },
        "resolve": {"scale": {"x": "independent"}},
        "spacing": 6,
    }


def skills(found: Table, width: int) -> Spec | None:
    measures = [c for c in found["columns"] if c["kind"] == "count"]
    values = [
        {
            "skill": str(row[found["columns"][0]["key"]]),
            "measure": c["label"],
            "value": row[c["key"]],
        }
        for row in found["rows"][:12]
        for c in measures
    ]
    if not values:
        return None
    return {
        "width": width,
        "height": {"step": 9},
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "skill", "type": "nominal", "sort": None, "title": None},
            "yOffset": {"field": "measure", "sort": [c["label"] for c in measures]},
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": "people",
                "axis": _kind_axis("count"),
            },
            "color": {
                "field": "measure",
                "type": "nominal",
                "title": None,
                "sort": [c["label"] for c in measures],
            },
        },
    }
