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
def gwent():
    result = load()
    assert result.ok, result.problems
    return result.dataset


def test_gwent_inspector_grades_as_published(gwent):
    result = grades(gwent, Filters(force="gwent"))
    got = {(r["area"], r["sample"]): _as_tuple(r) for r in result.rows}
    assert got == GWENT_INSPECTOR
    assert {r["basis"] for r in result.rows} == {"published"}
    assert {r["assessor"] for r in result.rows} == {"inspector"}
    assert all(r["source"] for r in result.rows)


def test_gwent_rows_in_documented_order(gwent):
    rows = grades(gwent).rows
    assert [(r["area"], r["sample"]) for r in rows] == [
        ("s46", "all"), ("s47", "all"), ("domestic-abuse", "all"), ("other-referrals", "all"),
        ("cse", "all"), ("missing", "all"), ("rso", "all"), ("custody", "all"),
        ("all", "all"), ("all", "self-assessed"), ("all", "inspector-selected")]


def test_gwent_area_tallies_add_up_to_all_80_cases(gwent):
    """The eight practice-area lists (pp.16-19) and the two sample lists (p.15) are two
    printings of the same 80 inspector grades."""
    rows = grades(gwent).rows
    areas = [r for r in rows if r["area"] != "all"]
    samples = [r for r in rows if r["area"] == "all" and r["sample"] != "all"]
    for grade in ("good", "requires_improvement", "inadequate", "total"):
        assert sum(r[grade] for r in areas) == sum(r[grade] for r in samples)


def test_gwent_force_grades(gwent):
    (row,) = grades(gwent, assessor="force").rows
    assert (row["sample"], row["assessor"]) == ("self-assessed", "force")
    assert _as_tuple(row) == (27, 6, 0, 33, "81.8", "18.2", "0.0")  # p.15


def test_filters(gwent):
    (row,) = grades(gwent, Filters(area="cse")).rows
    assert _as_tuple(row) == GWENT_INSPECTOR[("cse", "all")]
    rows = grades(gwent, Filters(sample="inspector-selected")).rows
    assert [_as_tuple(r) for r in rows] == [GWENT_INSPECTOR[("all", "inspector-selected")]]


@pytest.mark.parametrize(("field", "value", "known"), [
    ("force", "dyfed", "gwent, south-wales"),
    ("inspection", "gwent-2018",
     "gwent-2019, gwent-2020-review, south-wales-2015, south-wales-2016-review"),
    ("sample", "random", "all, self-assessed, inspector-selected"),
])
def test_unknown_filter_values_list_the_known_ones(gwent, field, value, known):
    with pytest.raises(SelectionError) as info:
        grades(gwent, Filters(**{field: value}))
    assert str(info.value) == f"unknown {field} '{value}' (known: {known})"


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


def test_bundled_stated_totals_add_up(gwent):
    assert grades(gwent).mismatches == []
    assert grades(gwent, assessor="force").mismatches == []


def test_wilson_intervals_beside_each_percentage(gwent):
    """Second method: statsmodels' Wilson interval, in percent to one decimal."""
    from statsmodels.stats.proportion import proportion_confint

    for row in grades(gwent).rows:
        for g in ("good", "requires_improvement", "inadequate"):
            low, high = proportion_confint(row[g], row["total"], method="wilson")
            assert float(row[f"{g}_ci_low"]) == pytest.approx(100 * low, abs=0.05)
            assert float(row[f"{g}_ci_high"]) == pytest.approx(100 * high, abs=0.05)
        assert row["small_sample"] == (row["total"] < 10)
