"""The dashboard pages: cells read in the viewer's time zone, every value of every table
shown once where a browser test can find it, charts drawn twice with their text
alternative, and signed links that open exactly what they were made for."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from html.parser import HTMLParser
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from mentornet_chassis.errors import Invalid
from mentornet_qa.api.pages import charts, formatting, layout
from mentornet_qa.api.pages.style import TZ_SCRIPT
from mentornet_qa.domain.audits import AuditRecord
from mentornet_qa.domain.documents import Match, Person
from mentornet_qa.domain.health import health
from mentornet_qa.domain.health_tables import health_tables
from mentornet_qa.domain.program import Coverage, ProgramState
from mentornet_qa.domain.series import Point, Series
from mentornet_qa.domain.tables import Cell, Kind, Table, column, table
from mentornet_qa.domain.weekly_tables import WEEKLY, weekly_table

pytestmark = pytest.mark.unit

KATHMANDU = ZoneInfo("Asia/Kathmandu")
AS_OF = "2027-01-24T17:56:54.804043+00:00"
NOW = datetime.fromisoformat(AS_OF)


def test_the_viewers_zone_is_utc_by_default_and_any_iana_name() -> None:
    assert formatting.zone(None) == ZoneInfo("UTC")
    assert formatting.zone("") == ZoneInfo("UTC")
    assert formatting.zone("Asia/Kathmandu") == KATHMANDU


@pytest.mark.parametrize("name", ["Mars/Base", "x" * 80, "../../etc/passwd"])
def test_a_zone_that_is_not_an_iana_name_is_refused_naming_tz(name: str) -> None:
    with pytest.raises(Invalid) as refused:
        formatting.zone(name)
    assert refused.value.field == "tz"


def test_a_time_reads_in_the_viewers_zone_with_its_offset() -> None:
    assert formatting.human_time(AS_OF, KATHMANDU) == "24 Jan 2027, 23:41 +0545"
    assert formatting.human_time(AS_OF, ZoneInfo("UTC")) == "24 Jan 2027, 17:56 UTC"


@pytest.mark.parametrize(
    ("value", "kind", "read"),
    [
        (0.253, "rate", "25%"),
        (1, "rate", "100%"),
        (None, "rate", "—"),
        ("", "text", "—"),
        ("2027-01-04", "date", "4 Jan 2027"),
        (AS_OF, "datetime", "24 Jan 2027, 23:41 +0545"),
        (1234567, "count", "1,234,567"),
        (3.14159, "number", "3.14"),
        (2.5, "number", "2.5"),
        (3.0, "number", "3"),
        (1234.5, "number", "1,234.5"),
        (True, "text", "yes"),
        (False, "count", "no"),
        ("Alpha", "text", "Alpha"),
    ],
)
def test_a_cell_reads_by_its_kind(value: Any, kind: Any, read: str) -> None:
    assert formatting.shown(value, kind, KATHMANDU) == read


AUDIT = cast(AuditRecord, {
    "audit_id": "a1", "audited_at": "2027-01-20T03:00:00+00:00", "min_group": 5,
    "min_ratio": 0.8, "disparities": 1, "attributes": [{
        "attribute": "gender",
        "groups": [
            {"group": "f", "suppressed": False, "people": "5-9", "match_rate": 1.0},
            {"group": "m", "suppressed": False, "people": "5-9", "match_rate": 0.4},
            {"group": "x", "suppressed": True, "people": "fewer than 5"},
        ],
        "disparities": [{"metric": "match_rate", "group": "m", "ratio": 0.4}],
    }],
})  # fmt: skip


def program_tables() -> list[Table]:
    """A program with a mentor, two mentees and a match (two sessions held, one missed,
    an open case), a fairness audit, two skills without mentors and three weeks of
    matching."""
    role = {"program_id": "p1", "since": "2027-01-01T00:00:00+00:00", "capacity": 2}
    people = [
        cast(Person, {"participant_id": pid, "roles": {r: role}, "status": "active", "groups": {}})
        for pid, r in (("mentor-1", "mentor"), ("e1", "mentee"), ("e2", "mentee"))
    ]
    statuses = ("completed", "completed", "missed")
    held = {f"s{i}": {"session_id": f"s{i}", "status": s} for i, s in enumerate(statuses)}
    case = {"case_id": "c1", "severity": "high", "opened_at": "2027-01-23T10:00:00+00:00",
            "due_at": "2027-01-30T10:00:00+00:00"}  # fmt: skip
    match = cast(Match, {
        "match_id": "m1", "program_id": "p1", "mentor_id": "mentor-1", "mentee_id": "e1",
        "status": "confirmed", "sessions": held, "feedback": {}, "items": 2, "items_done": 1,
        "goals": {}, "case": case, "closed_cases": [], "due_epoch": None,
        "confirmed_at": "2027-01-05T00:00:00+00:00",
    })  # fmt: skip
    state = ProgramState(program_id="p1", name="Alpha <& Co>", max_active_mentees_per_mentor=1)
    sampling = {"sampled": 3, "reviewed": 1, "agreement_exact": None}
    gaps = Coverage(program_id="p1", skill_ids=["python", "sql"], waiting_mentees=2)
    found = health(state, [match], people, NOW, AUDIT, gaps, cast(Any, sampling))
    weeks = ["2027-01-04", "2027-01-11", "2027-01-18"]
    series = Series(program_id="p1", as_of=AS_OF, weeks=weeks, series={
        "active_matches": [Point(week=w, value=v) for w, v in zip(weeks, (0, 1, 1), strict=True)],
        "new_matches": [Point(week=w, value=v) for w, v in zip(weeks, (0, 1, 0), strict=True)],
    })  # fmt: skip
    return [*health_tables(found), weekly_table(series, WEEKLY[0])]


class Parsed(HTMLParser):
    """Each data cell (figure, row, column) with its text; each section's SVGs, links
    and times; the page's meta tags and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[tuple[str, int, str], str]] = []
        self.svgs: dict[str, list[dict[str, str | None]]] = {}
        self.links: dict[str, list[str]] = {}
        self.times: list[tuple[dict[str, str | None], str]] = []
        self.metas: list[dict[str, str | None]] = []
        self.scripts: list[str] = []
        self.section = self.drawing = ""
        self.open: list[tuple[str, Any]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section":
            self.section = a["id"] or ""
        if tag == "div" and (a.get("class") or "").startswith("chart "):
            self.drawing = a["class"] or ""
        if tag == "svg":
            self.svgs.setdefault(self.section, []).append({**a, "in": self.drawing})
        if tag == "a" and self.section:
            self.links.setdefault(self.section, []).append(a["href"] or "")
        if tag == "meta":
            self.metas.append(a)
        if tag in ("time", "script") or ("data-row" in a and tag in ("td", "div")):
            self.open.append((tag, a))
            self.text = ""

    def handle_data(self, data: str) -> None:
        self.text += data

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            return
        _, a = self.open.pop()
        if tag == "time":
            self.times.append((a, self.text))
        elif tag == "script":
            self.scripts.append(self.text)
        else:
            self.cells.append(((a["data-figure"], int(a["data-row"]), a["data-column"]), self.text))


def exports(figure: str, form: str) -> str:
    return f"/p/{figure}?format={form}&x=1"


def drawn(figures: list[Table]) -> Parsed:
    parsed = Parsed()
    parsed.feed(
        layout.page("Alpha <& Co>", "Program dashboard", AS_OF, figures, exports, KATHMANDU)
    )
    return parsed


def test_every_cell_of_every_table_is_shown_once_where_its_json_has_it() -> None:
    figures = program_tables()
    parsed = drawn(figures)
    expected = {}
    for t in figures:
        kinds = {c["key"]: c["kind"] for c in t["columns"]}
        for i, row in enumerate(t["rows"]):
            for key, value in row.items():
                if t["figure"] == "headline":  # tiles: the value, read in the row's unit
                    if key != "value":
                        continue
                    kind = formatting.UNITS[str(row["unit"])]
                else:
                    kind = kinds[key]
                expected[(t["figure"], i, key)] = formatting.shown(value, kind, KATHMANDU)
    assert Counter(where for where, _ in parsed.cells) == Counter(dict.fromkeys(expected, 1))
    assert dict(parsed.cells) == expected
    assert dict(parsed.cells)[("headline", 5, "value")] == "50%"  # utilisation: 1 of 2 places


def test_the_as_of_time_and_an_audits_time_read_in_the_viewers_zone() -> None:
    parsed = drawn(program_tables())
    assert parsed.times == [
        ({"datetime": AS_OF, "data-figure": "as_of"}, "24 Jan 2027, 23:41 +0545"),
        ({"datetime": "2027-01-20T03:00:00+00:00"}, "20 Jan 2027, 08:45 +0545"),
    ]


def test_each_chart_is_drawn_wide_and_narrow_with_the_summary_as_its_label() -> None:
    figures = program_tables()
    parsed = drawn(figures)
    charted = {t["figure"] for t in figures if charts.spec_of(t, charts.WIDE) is not None}
    assert charted == {"weekly_matching", "escalations_by_age", "fairness"}
    for t in figures:
        labelled = [s for s in parsed.svgs.get(t["figure"], []) if s.get("role") == "img"]
        if t["figure"] in charted:
            assert [(s["in"], s["aria-label"]) for s in labelled] == [
                ("chart wide", t["summary"]),
                ("chart narrow", t["summary"]),
            ], t["figure"]
        else:
            assert labelled == [], t["figure"]


def test_each_card_links_its_csv_and_json_and_the_page_fits_a_phone_and_asks_for_the_zone() -> None:
    figures = program_tables()
    parsed = drawn(figures)
    for t in figures:
        assert parsed.links[t["figure"]] == [
            exports(t["figure"], "csv"),
            exports(t["figure"], "json"),
        ]
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in parsed.metas
    assert parsed.scripts == [TZ_SCRIPT]


def test_charts_have_no_spec_for_the_headline_and_coverage_gaps() -> None:
    tables = {t["figure"]: t for t in program_tables()}
    gaps = {**tables["coverage_gaps"], "rows": [{"skill": "python"}]}
    assert charts.spec_of(tables["headline"], charts.WIDE) is None
    assert charts.spec_of(cast(Table, gaps), charts.WIDE) is None


def weekly_spec(figure: str, kind: Kind) -> dict[str, Any]:
    columns = [column("week", "week", "date"), column("v", "v", kind)]
    rows: list[dict[str, Cell]] = [{"week": "2027-01-04", "v": 0.5}, {"week": "2027-01-11"}]
    spec = charts.spec_of(table(figure, "t", "s", columns, rows), charts.NARROW)
    assert spec is not None
    return spec


def test_a_weekly_rate_chart_reads_in_percent_from_0_to_1_and_scores_from_1_to_5() -> None:
    rates = weekly_spec("weekly_rates", "rate")
    y = rates["encoding"]["y"]
    assert (y["axis"]["format"], y["scale"]["domain"]) == (".0%", [0, 1])
    assert rates["width"] == charts.NARROW
    assert rates["data"]["values"] == [{"week": "4 Jan", "line": "v", "value": 0.5}]
    assert weekly_spec("weekly_scores", "number")["encoding"]["y"]["scale"] == {"domain": [1, 5]}
    assert weekly_spec("weekly_matching", "count")["encoding"]["y"]["axis"]["format"] == "d"


def test_a_spec_draws_as_an_svg_with_a_view_box() -> None:
    drawing = charts.svg(weekly_spec("weekly_rates", "rate"))
    assert drawing.startswith("<svg ")
    assert 'viewBox="0 0 ' in drawing
    assert drawing.rstrip().endswith("</svg>")
