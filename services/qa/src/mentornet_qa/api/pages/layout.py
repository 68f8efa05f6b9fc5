"""A dashboard page: headline tiles, then a card per figure with its chart (wide and
phone widths), its text alternative, its data table and its JSON and CSV links. Every
shown value carries `data-figure`, `data-row` and `data-column`: where the same value
sits in the figure's JSON, so a browser test can compare what a person reads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from zoneinfo import ZoneInfo

from ...domain.tables import Cell, Kind, Table
from .charts import NARROW, WIDE, spec_of, svg
from .formatting import UNITS, human_time, shown
from .style import STYLE, TZ_SCRIPT

Exports = Callable[[str, str], str]
"""(figure, "json" | "csv") -> the URL that answers it."""
TILES = frozenset({"headline", "network_totals"})


def _cell(tag: str, found: Table, i: int, key: str, value: Cell, kind: Kind, tz: ZoneInfo) -> str:
    return (
        f'<{tag} data-figure="{escape(found["figure"])}" data-row="{i}" data-column="{key}"'
        f' data-kind="{kind}">{escape(shown(value, kind, tz))}</{tag}>'
    )


def tiles(found: Table, exports: Exports, tz: ZoneInfo) -> str:
    """Headline rows as tiles: a big value and its label (each row has its own unit)."""
    out = []
    for i, row in enumerate(found["rows"]):
        kind = UNITS.get(str(row.get("unit")), "number")
        out.append(
            '<div class="tile">'
            + _cell("div", found, i, "value", row["value"], kind, tz).replace(
                "<div ", '<div class="big" ', 1
            )
            + f'<div class="muted">{escape(str(row["label"]))}</div></div>'
        )
    return (
        f'<section class="card headline" id="{escape(found["figure"])}">'
        f'<h2>{escape(found["title"])}</h2><div class="tiles">{"".join(out)}</div>'
        f'<p class="alt">{escape(found["summary"])}</p>{_exports(found, exports)}</section>'
    )


def _exports(found: Table, exports: Exports) -> str:
    name = found["figure"]
    return (
        f'<p class="export">Download: <a href="{escape(exports(name, "csv"))}">CSV</a> · '
        f'<a href="{escape(exports(name, "json"))}">JSON</a></p>'
    )


def data_table(found: Table, tz: ZoneInfo) -> str:
    head = "".join(f'<th scope="col">{escape(c["label"])}</th>' for c in found["columns"])
    body = "".join(
        "<tr>"
        + "".join(
            _cell("td", found, i, c["key"], row[c["key"]], c["kind"], tz).replace(
                "<td ", f'<td data-label="{escape(c["label"])}" ', 1
            )
            for c in found["columns"]
        )
        + "</tr>"
        for i, row in enumerate(found["rows"])
    )
    if not found["rows"]:
        body = f'<tr><td colspan="{len(found["columns"])}">No rows yet.</td></tr>'
    return (
        f'<table aria-label="{escape(found["title"])}">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _chart(found: Table) -> str:
    drawn = []
    for width, cls in ((WIDE, "wide"), (NARROW, "narrow")):
        spec = spec_of(found, width)
        if spec is None:
            return ""
        picture = svg(spec).replace(
            "<svg ", f'<svg role="img" aria-label="{escape(found["summary"])}" ', 1
        )
        drawn.append(f'<div class="chart {cls}">{picture}</div>')
    return "".join(drawn)


def card(found: Table, exports: Exports, tz: ZoneInfo) -> str:
    name = found["figure"]
    taken = (
        f'<p class="muted">Taken <time datetime="{escape(found["at"])}">'
        f"{escape(human_time(found['at'], tz))}</time></p>"
        if found.get("at")
        else ""
    )
    note = f'<p class="muted">{escape(found["note"])}</p>' if found.get("note") else ""
    return (
        f'<section class="card" id="{escape(name)}"><h2>{escape(found["title"])}</h2>{taken}'
        f"{_chart(found)}"
        f'<p class="alt">{escape(found["summary"])}</p>{note}'
        f"<details><summary>Data table</summary>{data_table(found, tz)}</details>"
        f"{_exports(found, exports)}</section>"
    )


def page(
    title: str,
    subtitle: str,
    as_of: str,
    figures: Sequence[Table],
    exports: Exports,
    tz: ZoneInfo,
    nav: str = "",
) -> str:
    head = [f for f in figures if f["figure"] in TILES]
    rest = [f for f in figures if f["figure"] not in TILES]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}: {escape(subtitle)}</title><style>{STYLE}</style>"
        f"<script>{TZ_SCRIPT}</script></head><body><header>"
        f'<h1>{escape(title)}</h1><p class="muted">{escape(subtitle)} as of '
        f'<time datetime="{escape(as_of)}" data-figure="as_of">{escape(human_time(as_of, tz))}'
        f"</time>; times in {escape(str(tz))}.</p>{nav}</header><main>"
        + "".join(tiles(f, exports, tz) for f in head)
        + f'<div class="grid">{"".join(card(f, exports, tz) for f in rest)}</div>'
        + "</main></body></html>"
    )


def nav(links: Sequence[tuple[str, str]]) -> str:
    """Links to other pages (the network view's programs), each with its label."""
    if not links:
        return ""
    items = "".join(f'<a href="{escape(url)}">{escape(label)}</a>' for label, url in links)
    return f'<nav aria-label="Program dashboards">Programs: {items}</nav>'
