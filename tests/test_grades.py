"""`grades`: the Gwent 2019 figures as the report prints them, and case-level counting
checked against a second method (a pandas crosstab)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from conftest import EXAMPLE
from ncpi_cli.analysis.common import pct, round1
from ncpi_cli.analysis.grades import grades
from ncpi_cli.analysis.select import Filters
from ncpi_cli.errors import SelectionError
from ncpi_cli.ingest import load

# Written out by hand from the report (HMICFRS, Gwent NCPI 2019, section 4): counts as
# printed (p.15 for the samples, pp.16-19 for the areas), percentages worked by hand
# (count / total, one decimal, halves rounded up: 46.25 -> 46.3, 18.75 -> 18.8).
GWENT_INSPECTOR = {
    # (area, sample): (good, RI, inadequate, total, good%, RI%, inadequate%)
    ("s46", "all"): (3, 3, 0, 6, "50.0", "50.0", "0.0"),                  # p.18
    ("s47", "all"): (4, 4, 2, 10, "40.0", "40.0", "20.0"),                # p.16
    ("domestic-abuse", "all"): (5, 4, 3, 12, "41.7", "33.3", "25.0"),     # p.16
    ("other-referrals", "all"): (2, 6, 2, 10, "20.0", "60.0", "20.0"),    # p.17
    ("cse", "all"): (3, 4, 9, 16, "18.8", "25.0", "56.3"),                # p.17
    ("missing", "all"): (2, 5, 2, 9, "22.2", "55.6", "22.2"),             # p.18
    ("rso", "all"): (1, 5, 3, 9, "11.1", "55.6", "33.3"),                 # p.19
    ("custody", "all"): (0, 6, 2, 8, "0.0", "75.0", "25.0"),              # p.19
    ("all", "all"): (20, 37, 23, 80, "25.0", "46.3", "28.8"),             # 33 + 47 cases
    ("all", "self-assessed"): (10, 17, 6, 33, "30.3", "51.5", "18.2"),    # p.15
    ("all", "inspector-selected"): (10, 20, 17, 47, "21.3", "42.6", "36.2"),  # p.15
}


def _as_tuple(row) -> tuple:
    return (row["good"], row["requires_improvement"], row["inadequate"], row["total"],
            str(row["good_pct"]), str(row["requires_improvement_pct"]),
            str(row["inadequate_pct"]))


@pytest.fixture(scope="module")
def bundled():
    """All the bundled data: Gwent's 2019 figures (cases.yaml), the national file and the
    2024-methodology file (topics-2024.yaml)."""
    result = load()
    assert result.ok, result.problems
    return result.dataset


GWENT = Filters(force="gwent")


def test_gwent_inspector_grades_as_published(bundled):
    result = grades(bundled, GWENT)
    got = {(r["area"], r["sample"]): _as_tuple(r) for r in result.rows}
    assert got == GWENT_INSPECTOR
    assert {r["basis"] for r in result.rows} == {"published"}
    assert {r["assessor"] for r in result.rows} == {"inspector"}
    assert all(r["source"] for r in result.rows)


def test_gwent_rows_in_documented_order(bundled):
    rows = grades(bundled, GWENT).rows
    assert [(r["area"], r["sample"]) for r in rows] == [
        ("s46", "all"), ("s47", "all"), ("domestic-abuse", "all"), ("other-referrals", "all"),
        ("cse", "all"), ("missing", "all"), ("rso", "all"), ("custody", "all"),
        ("all", "all"), ("all", "self-assessed"), ("all", "inspector-selected")]


def test_gwent_area_tallies_add_up_to_all_80_cases(bundled):
    """The eight practice-area lists (pp.16-19) and the two sample lists (p.15) are two
    printings of the same 80 inspector grades."""
    rows = grades(bundled, GWENT).rows
    assert len(rows) == 11
    areas = [r for r in rows if r["area"] != "all"]
    samples = [r for r in rows if r["area"] == "all" and r["sample"] != "all"]
    for grade in ("good", "requires_improvement", "inadequate", "total"):
        assert sum(r[grade] for r in areas) == sum(r[grade] for r in samples)


def test_gwent_force_grades(bundled):
    (row,) = grades(bundled, GWENT, assessor="force").rows
    assert (row["sample"], row["assessor"]) == ("self-assessed", "force")
    assert _as_tuple(row) == (27, 6, 0, 33, "81.8", "18.2", "0.0")  # p.15


def test_filters(bundled):
    (row,) = grades(bundled, Filters(force="gwent", area="cse")).rows
    assert _as_tuple(row) == GWENT_INSPECTOR[("cse", "all")]
    rows = grades(bundled, Filters(force="gwent", sample="inspector-selected")).rows
    assert [_as_tuple(r) for r in rows] == [GWENT_INSPECTOR[("all", "inspector-selected")]]
    # With no force selected, an area takes in every force's tally of it, in force order.
    cse = [r["inspection"] for r in grades(bundled, Filters(area="cse")).rows]
    assert cse == ["gwent-2019", "nottinghamshire-2016-review", "west-midlands-2014",
                   "west-yorkshire-2015"]
    assert set(cse) == {t.inspection for t in bundled.tallies
                        if t.area == "cse" and t.assessor == "inspector"}


@pytest.mark.parametrize(("field", "value", "hint"), [
    ("force", "dyfed", "did you mean 'dyfed-powys'? "),
    ("inspection", "gwent-2018", "did you mean 'gwent-2019' or 'kent-2019'? "),
    ("sample", "random", ""),
])
def test_unknown_filter_values_list_the_known_ones(bundled, field, value, hint):
    """The close matches first, then every value the data holds (for forces and
    inspections: every id in the bundled files, sorted)."""
    known = {"force": sorted(bundled.forces), "inspection": sorted(bundled.inspections),
             "sample": ["all", "self-assessed", "inspector-selected"]}[field]
    with pytest.raises(SelectionError) as info:
        grades(bundled, Filters(**{field: value}))
    assert str(info.value) == f"unknown {field} '{value}' ({hint}known: {', '.join(known)})"


def test_the_known_forces_and_inspections_are_those_of_the_three_bundled_files(bundled):
    """The lists above, checked by hand: cases.yaml's 2 forces and 4 inspections, the
    national file's 40 forces (42 in all) and 78 inspections, and topics-2024.yaml's 6
    inspections (of forces the other two files define: it adds none)."""
    assert len(bundled.forces) == 2 + 40
    assert {"gwent", "south-wales", "dyfed-powys", "metropolitan"} <= set(bundled.forces)
    assert len(bundled.inspections) == 4 + 78 + 6
    assert {"gwent-2019", "gwent-2020-review", "south-wales-2015",
            "south-wales-2016-review", "kent-2019"} <= set(bundled.inspections)
    assert {i.id for i in bundled.inspections.values() if i.methodology == "ncpi-2024"} == {
        "greater-manchester-2024", "cleveland-2025", "gloucestershire-2025",
        "west-midlands-2025", "south-wales-ncpi-2024", "lincolnshire-ncpi-2024"}


def test_case_counts_match_a_pandas_crosstab():
    """Second method: the same synthetic cases counted by pandas, reindexed so zeros stay."""
    loaded = load([EXAMPLE])
    assert loaded.ok
    dataset = loaded.dataset
    result = grades(dataset, Filters(inspection="exampleshire-2015"))
    frame = pd.DataFrame([{"area": c.area, "sample": c.sample, "grade": c.inspector_grade}
                          for c in dataset.cases if c.inspection == "exampleshire-2015"])
    scale = ["good", "adequate", "requires_improvement", "inadequate"]
    by_area = pd.crosstab(frame["area"], frame["grade"]).reindex(columns=scale, fill_value=0)
    by_sample = pd.crosstab(frame["sample"], frame["grade"]).reindex(columns=scale,
                                                                     fill_value=0)
    rows = {(r["area"], r["sample"]): r for r in result.rows}
    for area, counts in by_area.iterrows():
        assert [rows[(area, "all")][g] for g in scale] == counts.tolist()
    for sample, counts in by_sample.iterrows():
        assert [rows[("all", sample)][g] for g in scale] == counts.tolist()
    everything = frame["grade"].value_counts().reindex(scale, fill_value=0)
    assert [rows[("all", "all")][g] for g in scale] == everything.tolist()
    assert rows[("all", "all")]["total"] == len(frame) == 80


def test_rounding_is_exact_half_away_from_zero():
    assert pct(37, 80) == Decimal("46.3")   # 46.25
    assert pct(3, 16) == Decimal("18.8")    # 18.75
    assert pct(1, 8) == Decimal("12.5")
    assert pct(0, 0) is None
    from fractions import Fraction

    assert round1(Fraction(-1025, 100)) == Decimal("-10.3")
    assert round1(Fraction(-1, 100)) == Decimal("0.0")


def test_a_tally_that_does_not_add_up_is_a_mismatch(check):
    """A regrade whose counts sum to 34 against a stated 33 must be caught, not printed as
    if all were well."""
    from conftest import PREAMBLE

    doc = PREAMBLE + ("tallies:\n  - {inspection: t-2019, sample: self-assessed, assessor: "
                      "inspector, good: 10, requires_improvement: 18, inadequate: 6, "
                      "stated_total: 33}\n")
    result = grades(check(doc).dataset)
    assert result.rows[0]["total"] == 34
    assert result.mismatches == ["data.yaml:8: tally #1 (t-2019): the counts add up to 34 but "
                                 "the source states 33"]


def test_bundled_stated_totals_add_up(bundled):
    assert grades(bundled).mismatches == []
    assert grades(bundled, assessor="force").mismatches == []


def test_wilson_intervals_beside_each_percentage(bundled):
    """Second method: statsmodels' Wilson interval, in percent to one decimal. Over all the
    bundled figures: a count a partial tally does not state (or a disputed one), or a tally
    with no total, has no percentage and no interval, never one worked from a guess."""
    from statsmodels.stats.proportion import proportion_confint

    rows = grades(bundled).rows
    assert any(r["total"] is None for r in rows)      # e.g. leicestershire-2017: 29% only
    checked = 0
    for row in rows:
        for g in ("good", "adequate", "requires_improvement", "inadequate"):
            if row[g] is None or row["total"] is None:
                assert (row[f"{g}_pct"], row[f"{g}_ci_low"], row[f"{g}_ci_high"]) == (
                    None, None, None), (row["inspection"], g)
                continue
            low, high = proportion_confint(row[g], row["total"], method="wilson")
            assert float(row[f"{g}_ci_low"]) == pytest.approx(100 * low, abs=0.05)
            assert float(row[f"{g}_ci_high"]) == pytest.approx(100 * high, abs=0.05)
            checked += 1
        # small_sample is unknown (empty) where the total is
        assert row["small_sample"] == (None if row["total"] is None else row["total"] < 10)
    assert checked >= 3 * 11                            # at least Gwent's eleven rows
