"""The outcome report, pure: 95% intervals (t for a mean, Wilson for a proportion,
order statistics for a median), groups and figures under 5 mentees suppressed with the
reason, splits by program, segment, cohort and consented audit groups, only the
outcomes the program collects; the CSV rows carry the same figures; an invitation to
mentor is answered once, and a later mentor enrolment of the same person converts it."""

from __future__ import annotations

from datetime import UTC, datetime
from statistics import fmean

import pytest
from mentornet_chassis.errors import Conflict, NotFound
from mentornet_contracts.events.programs import OutcomeMeasure
from mentornet_qa.api.health_views import HealthView
from mentornet_qa.domain import conversion, health, health_tables, intervals
from mentornet_qa.domain.documents import Person, PersonStatus
from mentornet_qa.domain.figures import Sampling
from mentornet_qa.domain.outcome_report import Figure, Report, report, rows
from mentornet_qa.domain.outcome_report_facts import MenteeFacts, became_mentor
from mentornet_qa.domain.outcome_suppression import (
    COMPLEMENT,
    OTHER_REASONS,
    SUPPRESSED,
    closure_reasons,
)

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def test_a_mean_has_a_t_interval_and_a_proportion_a_wilson_interval() -> None:
    found = intervals.mean([1, 2, 3, 4, 5])
    assert (found.n, found.value) == (5, 3.0)
    assert (round(found.low or 0, 4), round(found.high or 0, 4)) == (1.0368, 4.9632)
    assert intervals.mean([4]).low is None, "one value: no interval"
    half = intervals.wilson(5, 10)
    assert (round(half.low or 0, 4), round(half.high or 0, 4)) == (0.2366, 0.7634)
    none = intervals.wilson(0, 10)
    assert (none.value, none.low, round(none.high or 0, 4)) == (0.0, 0.0, 0.2775)
    assert intervals.proportion([True, False, 1.0, 0.0]).value == 0.5
    with pytest.raises(ValueError, match="11 successes out of 10"):
        intervals.wilson(11, 10)


def test_a_median_has_an_order_statistic_interval_from_six_values() -> None:
    found = intervals.median_interval([float(v) for v in range(10, 0, -1)])
    assert (found.value, found.low, found.high) == (5.5, 2.0, 9.0)
    five = intervals.median_interval([1, 2, 3, 4, 5])
    assert (five.value, five.low, five.high) == (3.0, None, None)
    assert intervals.median_interval([]).value is None


def facts(n: int, segment: str | None, **extra: object) -> MenteeFacts:
    values = {"skill_growth": 1.0 + (n % 3), "retention": float(n % 2), "satisfaction": 4.0}
    base: dict[str, object] = {
        "participant_id": f"e{n}",
        "segment": segment,
        "groups": {},
        "cohort_id": None,
        "values": values,
        "days_to_match": float(n),
        "days_to_first_session": 2.0,
        "matched": True,
        "ends": ("completed",) if n % 2 else ("withdrawn",),
    }
    return MenteeFacts(**{**base, **extra})  # type: ignore[arg-type]


def figures(found: list[Figure]) -> dict[str, Figure]:
    return {f["indicator"]: f for f in found}


COLLECTED = (OutcomeMeasure.SKILL_GROWTH, OutcomeMeasure.RETENTION)


def test_by_segment_a_group_of_six_shows_its_figures_and_a_group_of_three_is_suppressed() -> None:
    people = [facts(n, "new-manager") for n in range(6)] + [facts(n, "switcher") for n in range(3)]
    people += [facts(n, "returner") for n in range(5)]
    found = report("prog-1", "segment", COLLECTED, people)
    assert found["outcome_measures"] == ["skill_growth", "retention"]
    big, next_smallest, small = found["groups"]
    assert (big["group"], big["mentees"], big["suppressed"]) == ("new-manager", 6, None)
    assert (next_smallest["group"], next_smallest["mentees"]) == ("returner", None)
    assert next_smallest["suppressed"] == COMPLEMENT, "else the program total gives the 3 away"
    shown = figures(big["indicators"])
    assert set(shown) == {
        "skill_growth",
        "retention",
        "mentor_assessed_growth",
        "time_to_match_days",
        "time_to_first_session_days",
        "early_closure_rate",
        "rematch_rate",
        "invited_to_mentor",
        "accepted_invitation",
        "became_mentor",
    }, "satisfaction is not collected; mentor growth goes with skill growth"
    growth = shown["skill_growth"]
    expected = intervals.mean([1.0, 2.0, 3.0, 1.0, 2.0, 3.0])
    assert (growth["n"], growth["value"], growth["statistic"]) == (6, 2.0, "mean")
    assert growth["ci_low"] == round(expected.low or 0, 4)
    retention = shown["retention"]
    assert (retention["n"], retention["value"], retention["statistic"]) == (6, 0.5, "proportion")
    assert shown["early_closure_rate"]["reasons"] == {}, "3 withdrawn: fewer than 5"
    assert shown["mentor_assessed_growth"]["suppressed"] == SUPPRESSED, "nobody has it: n 0"
    assert shown["time_to_match_days"]["value"] == 2.5
    assert (small["group"], small["mentees"], small["suppressed"]) == ("switcher", None, SUPPRESSED)
    for figure in small["indicators"]:
        assert (figure["n"], figure["value"], figure["ci_low"], figure["ci_high"]) == (
            None,
            None,
            None,
            None,
        )
        assert figure["suppressed"] == SUPPRESSED
    for figure in next_smallest["indicators"]:
        assert (figure["n"], figure["value"], figure["suppressed"]) == (None, None, COMPLEMENT)
    assert "reasons" not in figures(small["indicators"])["early_closure_rate"]


def test_by_program_everyone_counts_and_without_cohorts_the_report_says_so() -> None:
    people = [facts(n, None) for n in range(7)]
    [whole] = report("prog-1", "program", COLLECTED, people)["groups"]
    assert (whole["group"], whole["mentees"]) == ("prog-1", 7)
    by_cohort = report("prog-1", "cohort", COLLECTED, people)
    assert by_cohort["note"] == "matches have no cohort"
    assert [g["group"] for g in by_cohort["groups"]] == ["no cohort"]
    with_cohorts = [facts(n, None, cohort_id="c-1" if n < 5 else None) for n in range(7)]
    split = report("prog-1", "cohort", COLLECTED, with_cohorts)
    assert split["note"] is None
    assert [(g["group"], g["mentees"], g["suppressed"]) for g in split["groups"]] == [
        ("c-1", None, COMPLEMENT),
        ("no cohort", None, SUPPRESSED),
    ]
    [segment] = report("prog-1", "segment", COLLECTED, people)["groups"]
    assert segment["group"] == "unspecified"
    [empty] = report("prog-1", "program", COLLECTED, [])["groups"]
    assert (empty["mentees"], empty["suppressed"]) == (None, SUPPRESSED)


def test_an_attribute_split_uses_only_the_groups_people_consented_to_share() -> None:
    people = [facts(n, None, groups={"region": "emea"}) for n in range(5)]
    people += [facts(n, None, groups={"gender": "woman"}) for n in range(5, 9)]
    people += [facts(9, None)]
    found = report("prog-1", "region", COLLECTED, people)
    assert [(g["group"], g["mentees"]) for g in found["groups"]] == [("emea", 5)]
    assert report("prog-1", "religion", COLLECTED, people)["groups"] == []


SATISFACTION = (OutcomeMeasure.SATISFACTION,)


def satisfied(n: int, segment: str, score: float) -> MenteeFacts:
    return facts(n, segment, values={"satisfaction": score})


def worked_out(whole: Report, split: Report, indicator: str) -> float | None:
    """The reviewer's attack: the program figure times its n, less each group figure
    shown times its n, over the n left; None when the published figures do not allow it."""
    [total] = [f for f in whole["groups"][0]["indicators"] if f["indicator"] == indicator]
    shown = [f for g in split["groups"] for f in g["indicators"] if f["indicator"] == indicator]
    if total["n"] is None or total["value"] is None:
        return None
    if any(f["n"] is None for f in shown if f["value"] is None):
        return None
    left = total["n"] - sum(f["n"] or 0 for f in shown if f["value"] is not None)
    if left <= 0 or left == total["n"]:
        return None
    rest = sum((f["n"] or 0) * (f["value"] or 0) for f in shown if f["value"] is not None)
    return (total["n"] * total["value"] - rest) / left


def test_a_suppressed_group_cannot_be_worked_out_from_the_program_total() -> None:
    hidden = [satisfied(n, "switcher", s) for n, s in enumerate((1.0, 2.0, 1.0))]
    people = [satisfied(n, "new-manager", 4.0 + n % 2) for n in range(3, 9)] + hidden
    whole = report("prog-1", "program", SATISFACTION, people)
    split = report("prog-1", "segment", SATISFACTION, people)
    assert figures(whole["groups"][0]["indicators"])["satisfaction"]["n"] == 9
    assert worked_out(whole, split, "satisfaction") is None, "the segment of 3 stays hidden"
    shown = {g["group"]: (g["mentees"], g["suppressed"]) for g in split["groups"]}
    assert shown == {"new-manager": (None, COMPLEMENT), "switcher": (None, SUPPRESSED)}


def test_a_figure_under_five_in_a_shown_group_hides_the_next_smallest_figure_too() -> None:
    people = [satisfied(n, "a", 4.0) for n in range(6)]
    people += [satisfied(n, "b", 1.0) for n in range(6, 9)]
    people += [facts(n, "b", values={}) for n in range(9, 14)]
    people += [facts(n, "c", values={}) for n in range(14, 19)]
    split = report("prog-1", "segment", SATISFACTION, people)
    by_group = {g["group"]: figures(g["indicators"])["satisfaction"] for g in split["groups"]}
    assert (by_group["b"]["n"], by_group["b"]["suppressed"]) == (None, SUPPRESSED)
    assert (by_group["a"]["n"], by_group["a"]["suppressed"]) == (None, COMPLEMENT)
    whole = report("prog-1", "program", SATISFACTION, people)
    assert worked_out(whole, split, "satisfaction") is None


def test_early_closure_reasons_list_only_counts_of_five_or_more() -> None:
    assert closure_reasons(["withdrawn"] * 6 + ["stalled"] * 2) == {"withdrawn": 6}
    assert closure_reasons(["withdrawn"] * 5 + ["stalled"] * 3 + ["other"] * 2) == {
        "withdrawn": 5,
        OTHER_REASONS: 5,
    }
    assert closure_reasons(["stalled"] * 4) == {}


def test_csv_rows_carry_the_json_figures_one_per_group_and_indicator() -> None:
    people = [facts(n, "a") for n in range(5)] + [facts(n, "b") for n in range(2)]
    found = report("prog-1", "segment", COLLECTED, people)
    lines = rows(found)
    assert len(lines) == sum(len(g["indicators"]) for g in found["groups"])
    first = found["groups"][0]["indicators"][0]
    assert lines[0] == {"group": "a", **{k: v for k, v in first.items() if k != "statistic"}}


def test_conversion_counts_invited_accepted_and_a_later_mentor_enrolment() -> None:
    invited = [facts(n, "a", invited=True, accepted=n < 3, became_mentor=n < 2) for n in range(5)]
    shown = figures(report("prog-1", "program", COLLECTED, invited)["groups"][0]["indicators"])
    assert (shown["invited_to_mentor"]["n"], shown["invited_to_mentor"]["value"]) == (5, 1.0)
    assert shown["accepted_invitation"]["value"] == 0.6
    assert shown["became_mentor"]["value"] == 0.4


def invited_person(answered: bool | None = None) -> Person:
    person = Person(
        participant_id="e1",
        roles={"mentee": {"program_id": "prog-1", "since": "2027-01-01T00:00:00+00:00"}},
        status=PersonStatus.ACTIVE,
        groups={},
        person_id="person-1",
        invited=True,
        invitation={"program_id": "prog-1", "invited_at": "2027-02-01T00:00:00+00:00"},
    )
    if answered is not None:
        person, _ = conversion.answer(person, "prog-1", "e1", answered, NOW)
    return person


def test_an_invitation_is_answered_once_and_only_where_it_was_made() -> None:
    person, event = conversion.answer(invited_person(), "prog-1", "e1", True, NOW)
    assert (event.program_id, event.participant_id, event.accepted) == ("prog-1", "e1", True)
    assert person.get("invitation", {}).get("accepted") is True
    with pytest.raises(Conflict, match="already answered"):
        conversion.answer(person, "prog-1", "e1", False, NOW)
    with pytest.raises(NotFound, match="not invited to mentor in prog-2"):
        conversion.answer(invited_person(), "prog-2", "e1", True, NOW)
    with pytest.raises(NotFound):
        conversion.answer(None, "prog-1", "e1", True, NOW)


def mentor(person_id: str, since: str) -> Person:
    return Person(
        participant_id=f"r-{since[:10]}",
        roles={"mentor": {"program_id": "prog-2", "since": since}},
        status=PersonStatus.ACTIVE,
        groups={},
        person_id=person_id,
    )


def test_becoming_a_mentor_is_a_mentor_enrolment_of_the_same_person_after_the_invitation() -> None:
    person = invited_person(answered=True)
    assert not became_mentor(person, [mentor("person-1", "2027-01-15T00:00:00+00:00")])
    assert not became_mentor(person, [mentor("person-2", "2027-03-15T00:00:00+00:00")])
    assert became_mentor(person, [mentor("person-1", "2027-03-15T00:00:00+00:00")])


def test_the_dashboard_card_shows_the_program_wide_figures_the_health_json_carries() -> None:
    people = [facts(n, "a") for n in range(6)] + [facts(n, "b") for n in range(2)]
    [whole] = report("prog-1", "program", COLLECTED, people)["groups"]
    outcomes = {f["indicator"]: f for f in whole["indicators"]}
    figures = health.health(
        {"program_id": "prog-1", "name": "Engineering"},
        [],
        [],
        NOW,
        None,
        None,
        Sampling(sampled=0, reviewed=0, agreement_exact=None),
    )
    answer = HealthView.model_validate({**figures, "outcomes": outcomes}).model_dump()
    card = health_tables.outcomes(outcomes)
    shown = {row["indicator"]: row for row in card["rows"]}
    assert {k: r["value"] for k, r in shown.items()} == {
        name: f["value"] for name, f in answer["outcomes"].items()
    }
    assert {k: (r["ci_low"], r["ci_high"], r["n"]) for k, r in shown.items()} == {
        name: (f["ci_low"], f["ci_high"], f["n"]) for name, f in answer["outcomes"].items()
    }
    assert shown["skill_growth"]["value"] == round(fmean([1, 2, 3, 1, 2, 3, 1, 2]), 4)
    assert "skill growth 1.88 (n = 8)" in card["summary"]
