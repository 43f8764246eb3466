"""`compare --self-vs-inspector`: published ranges for Gwent 2019, exact counts from cases."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import EXAMPLE, PREAMBLE
from ncpi_cli.analysis.compare import case_list, cross_table, self_vs_inspector
from ncpi_cli.analysis.select import Filters
from ncpi_cli.errors import SelectionError
from ncpi_cli.ingest import load


@pytest.fixture(scope="module")
def gwent():
    """All the bundled data (Gwent's figures are in cases.yaml; tests select them)."""
    return load().dataset


def test_gwent_published_comparison(gwent):
    """p.15: force 27 / 6 / 0 and inspectors 10 / 17 / 6 of the same 33 cases.
    Percentages by hand: 27/33 = 81.8, 6/33 = 18.2, 10/33 = 30.3, 17/33 = 51.5.
    Differences (inspectors minus force) from exact shares: (10-27)/33 = -51.5,
    (17-6)/33 = +33.3, (6-0)/33 = +18.2. Ranges: see test_bounds (worked by hand)."""
    (row,) = self_vs_inspector(gwent, Filters(force="gwent")).rows
    assert row["basis"] == "published" and row["n"] == 33 and row["area"] == "all"
    assert [row[f"force_{g}"] for g in ("good", "requires_improvement", "inadequate")] == \
        [27, 6, 0]
    assert [row[f"inspector_{g}"] for g in ("good", "requires_improvement", "inadequate")] \
        == [10, 17, 6]
    assert [str(row[f"force_{g}_pct"]) for g in ("good", "requires_improvement",
                                                  "inadequate")] == ["81.8", "18.2", "0.0"]
    assert [str(row[f"inspector_{g}_pct"]) for g in ("good", "requires_improvement",
                                                      "inadequate")] == ["30.3", "51.5", "18.2"]
    assert [str(row[f"{g}_diff_pp"]) for g in ("good", "requires_improvement",
                                                "inadequate")] == ["-51.5", "33.3", "18.2"]
    assert (row["agree"], row["over"], row["under"]) == (None, None, None)
    assert [row[k] for k in ("agree_min", "agree_max", "over_min", "over_max", "under_min",
                             "under_max")] == [4, 16, 17, 23, 0, 6]
    assert "not published" in row["note"]


def test_all_the_bundled_data_compares_only_complete_undisputed_pairs(gwent):
    """Of the 49 bundled tallies, four are of the self-assessed sample: Gwent 2019's pair
    (p.15) and West Yorkshire 2015's. The inspectors' West Yorkshire tally is disputed (it
    states 33 cases, its counts 9 + 8 + 7 + 10 add up to 34), so that pair is not compared,
    and the manifest says why."""
    from ncpi_cli.output import build_manifest

    result = self_vs_inspector(gwent)
    assert [r["inspection"] for r in result.rows] == ["gwent-2019"]
    tallies = build_manifest(result, gwent, {})["records"]["by_kind"]["tallies"]
    assert (tallies["read"], tallies["used"]) == (49, 2)
    assert tallies["reasons"] == [
        {"reason": "disputed figure: sources of the same standing disagree", "count": 1},
        {"reason": "no inspector tally of the same cases to compare with", "count": 1},
        {"reason": "sample all (the comparison uses self-assessed cases)", "count": 43},
        {"reason": "sample inspector-selected (the comparison uses self-assessed cases)",
         "count": 2}]


def test_column_contract(gwent):
    """The columns issue #2 and #3 name, in the documented order (Byrt's prevalence and bias
    indices, then each alpha with its bootstrap interval and how it was drawn)."""
    grades = ("good", "requires_improvement", "inadequate")
    expected = ["force", "inspection", "area", "basis", "n", "small_sample"]
    for who in ("force", "inspector"):
        for g in grades:
            expected += [f"{who}_{g}", f"{who}_{g}_pct", f"{who}_{g}_ci_low",
                         f"{who}_{g}_ci_high"]
    expected += [f"{g}_diff_pp" for g in grades]
    expected += [
        "agree", "agree_pct", "agree_ci_low", "agree_ci_high", "over", "over_pct", "under",
        "under_pct", "agree_min", "agree_max", "over_min", "over_max", "under_min",
        "under_max", "mean_gap", "sign_test_p", "kappa", "kappa_se", "kappa_ci_low",
        "kappa_ci_high", "kappa_max", "kappa_linear", "kappa_linear_se",
        "kappa_linear_ci_low", "kappa_linear_ci_high",
        *(f"{c}{end}" for c in ("ac1", "ac2_linear", "ac2_quadratic", "bp")
          for end in ("", "_se", "_ci_low", "_ci_high")),
        "prevalence_index", "bias_index",
        *(f"alpha_{d}{end}" for d in ("ordinal", "nominal") for end in ("", "_ci_low", "_ci_high")),
        "alpha_interval", "bowker", "bowker_df", "bowker_p",
        "bowker_exact_p", "stuart_maxwell", "stuart_maxwell_df", "stuart_maxwell_p", "note"]
    assert self_vs_inspector(gwent).columns == expected


def test_only_the_self_assessed_sample(gwent):
    with pytest.raises(SelectionError) as raised:
        self_vs_inspector(gwent, Filters(sample="inspector-selected"))
    assert str(raised.value) == ("the comparison of the force's grades with the inspectors' "
                                 "uses the self-assessed sample only, not 'inspector-selected'")
    assert "--" not in str(raised.value)


def test_published_totals_that_differ_are_a_mismatch(check):
    doc = PREAMBLE + (
        "tallies:\n"
        "  - {inspection: t-2019, sample: self-assessed, assessor: force, good: 27,"
        " requires_improvement: 6, inadequate: 0}\n"
        "  - {inspection: t-2019, sample: self-assessed, assessor: inspector, good: 10,"
        " requires_improvement: 18, inadequate: 6}\n")
    result = self_vs_inspector(check(doc).dataset)
    (row,) = result.rows
    assert row["n"] is None and row["agree_min"] is None
    assert result.mismatches == [
        "t-2019 (all): the force's tally (data.yaml:8) has 33 cases and the inspectors' "
        "(data.yaml:9) 34: they cannot be the same cases, so no pairing range is given"]


def _example_frame(inspection: str) -> pd.DataFrame:
    dataset = load([EXAMPLE]).dataset
    return pd.DataFrame([{"area": c.area, "force": c.force_grade,
                          "inspector": c.inspector_grade}
                         for c in dataset.cases
                         if c.inspection == inspection and c.sample == "self-assessed"])


@pytest.mark.parametrize(("inspection", "scale"), [
    ("exampleshire-2021", ["good", "requires_improvement", "inadequate"]),
    ("exampleshire-2015", ["good", "adequate", "requires_improvement", "inadequate"]),
])
def test_case_basis_counts_match_a_pandas_crosstab(inspection, scale):
    """Second method: pandas crosstab of the synthetic self-assessed cases; agreement is its
    diagonal, over-grading its upper triangle (force better than inspectors)."""
    dataset = load([EXAMPLE]).dataset
    (row,) = self_vs_inspector(dataset, Filters(inspection=inspection)).rows
    frame = _example_frame(inspection)
    table = pd.crosstab(frame["force"], frame["inspector"]).reindex(
        index=scale, columns=scale, fill_value=0).to_numpy()
    k = len(scale)
    assert row["basis"] == "cases" and row["n"] == len(frame) == 33
    assert row["agree"] == sum(table[i][i] for i in range(k))
    assert row["over"] == sum(table[i][j] for i in range(k) for j in range(k) if i < j)
    assert row["under"] == sum(table[i][j] for i in range(k) for j in range(k) if i > j)
    assert [row[f"force_{g}"] for g in scale] == table.sum(axis=1).tolist()
    assert [row[f"inspector_{g}"] for g in scale] == table.sum(axis=0).tolist()
    assert row["agree_min"] is None and row["note"] is None

    cross = cross_table(dataset, Filters(inspection=inspection))
    assert [r["force_grade"] for r in cross.rows] == scale
    assert [[r[f"inspector_{g}"] for g in scale] for r in cross.rows] == table.tolist()



@pytest.mark.parametrize(("inspection", "scale"), [
    ("exampleshire-2021", ["good", "requires_improvement", "inadequate"]),
    ("exampleshire-2015", ["good", "adequate", "requires_improvement", "inadequate"]),
])
def test_case_list_is_the_cases_behind_the_counts(inspection, scale):
    """Second method as above: the pandas frame's over-graded cases (force's grade earlier on
    the scale than the inspectors') are the listed `over` cases; every case is listed or
    accounted as not listed; `where` is the line of the case's record in the file."""
    dataset = load([EXAMPLE]).dataset
    frame = _example_frame(inspection)
    gap = frame["inspector"].map(scale.index) - frame["force"].map(scale.index)
    chosen = Filters(inspection=inspection)
    over = case_list(dataset, chosen, "over")
    assert len(over.rows) == int((gap > 0).sum())
    assert {r["outcome"] for r in over.rows} == {"over"}
    assert len(case_list(dataset, chosen, "disagree").rows) == int((gap != 0).sum())
    assert len(case_list(dataset, chosen, "agree").rows) == int((gap == 0).sum())
    assert len(case_list(dataset, chosen, "all").rows) == len(frame) == 33
    reasons = over.account.reasons("cases")
    assert over.account.used["cases"] == len(over.rows)
    assert sum(n for r, n in reasons.items() if "not listed" in str(r)) == int((gap <= 0).sum())
    lines = EXAMPLE.read_text().splitlines()
    for row in over.rows:
        where = str(row["where"])
        assert where.startswith(f"{EXAMPLE}:") or where.startswith(f"{EXAMPLE.name}:")
        assert row["case"] in lines[int(where.rsplit(":", 1)[1]) - 1]


def test_case_list_of_published_tallies_is_empty_with_a_note(gwent):
    result = case_list(gwent, Filters(), "all")
    assert result.rows == [] and "published tallies give no cases" in result.notes[0]

def test_by_area_rows(check):
    doc = PREAMBLE + "cases:\n" + "".join(
        f"  - {{id: C{i}, inspection: t-2019, area: {area}, sample: self-assessed, "
        f"force_grade: {fg}, inspector_grade: {ig}}}\n"
        for i, (area, fg, ig) in enumerate([
            ("s47", "good", "good"), ("s47", "good", "inadequate"),
            ("cse", "RI", "good"), ("cse", "inadequate", "inadequate")]))
    dataset = check(doc).dataset
    rows = self_vs_inspector(dataset, by_area=True).rows
    got = {r["area"]: (r["n"], r["agree"], r["over"], r["under"]) for r in rows}
    assert got == {"s47": (2, 1, 1, 0), "cse": (2, 1, 0, 1), "all": (4, 2, 1, 1)}
    assert [r["area"] for r in rows] == ["s47", "cse", "all"]
    (only,) = self_vs_inspector(dataset, Filters(area="cse")).rows
    assert (only["area"], only["n"]) == ("cse", 2)



def test_an_area_without_self_assessed_pairs_gets_a_row_with_a_note(check):
    """custody holds two inspector-selected cases and no self-assessed one: by area it is a
    row with n = 0 and the reason, in area order; not by area, and with --area s47, no row."""
    doc = PREAMBLE + """cases:
  - {id: C1, inspection: t-2019, area: s47, sample: self-assessed, force_grade: good,
     inspector_grade: good}
  - {id: C2, inspection: t-2019, area: custody, sample: inspector-selected, inspector_grade: good}
  - {id: C3, inspection: t-2019, area: custody, sample: inspector-selected, inspector_grade: RI}
"""
    dataset = check(doc).dataset
    rows = self_vs_inspector(dataset, by_area=True).rows
    assert [(r["area"], r["n"]) for r in rows] == [("s47", 1), ("custody", 0), ("all", 1)]
    empty = rows[1]
    assert empty["agree"] is None and empty["kappa"] is None
    assert empty["note"] == ("no self-assessed case graded by both the force and the "
                             "inspectors in this area (its case records: 2 inspector-selected)")
    assert [r["area"] for r in self_vs_inspector(dataset).rows] == ["all"]
    assert [r["area"] for r in self_vs_inspector(dataset, Filters(area="s47"),
                                                 by_area=True).rows] == ["s47"]

def test_zero_rows_and_columns_are_kept_in_the_table(check):
    doc = PREAMBLE + ("cases:\n  - {id: C1, inspection: t-2019, area: s47, sample: "
                      "self-assessed, force_grade: good, inspector_grade: good}\n")
    rows = cross_table(check(doc).dataset).rows
    assert [(r["force_grade"], r["inspector_good"], r["inspector_requires_improvement"],
             r["inspector_inadequate"], r["total"]) for r in rows] == [
        ("good", 1, 0, 0, 1), ("requires_improvement", 0, 0, 0, 0), ("inadequate", 0, 0, 0, 0)]


def _cases(rows: list[tuple[str, str]], area: str = "s47") -> str:
    return PREAMBLE + "cases:\n" + "".join(
        f"  - {{id: C{i}, inspection: t-2019, area: {area}, sample: self-assessed, "
        f"force_grade: {fg}, inspector_grade: {ig}}}\n" for i, (fg, ig) in enumerate(rows))


def test_case_statistics_for_the_sas_table(check):
    """The SAS example (rows force, columns inspectors): kappa 0.484 (ASE 0.138), linear
    0.470 (ASE 0.146); 13 of 19 agree (68.4%), 5 over, 1 under; sign test of 5 vs 1 is
    2 * (1 + 6) / 64 = 0.21875."""
    grades = ["good", "RI", "inadequate"]
    cells = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
    pairs = [(grades[i], grades[j]) for i in range(3) for j in range(3)
             for _ in range(cells[i][j])]
    (row,) = self_vs_inspector(check(_cases(pairs)).dataset).rows
    assert (row["n"], row["agree"], row["over"], row["under"]) == (19, 13, 5, 1)
    assert str(row["agree_pct"]) == "68.4"
    assert str(row["sign_test_p"]) == "0.2188"
    assert (str(row["kappa"]), str(row["kappa_se"])) == ("0.484", "0.138")
    assert (str(row["kappa_ci_low"]), str(row["kappa_ci_high"])) == ("0.214", "0.755")
    assert (str(row["kappa_linear"]), str(row["kappa_linear_se"])) == ("0.470", "0.146")
    assert row["small_sample"] is False
    # AC2 quadratic by hand (weights 1, 0.75, 0): p_o = (13 + 0.75 * 5) / 19 = 0.8816; mean
    # grade shares 5/38, 21/38, 12/38, so p_e = 6 * (834 / 1444) / 6 = 0.5776; (p_o - p_e) /
    # (1 - p_e) = 0.720; its interval 0.720 + 1.96 * 0.149 passes 1 and is clipped
    assert (str(row["ac2_quadratic"]), row["ac2_quadratic_ci_high"]) == ("0.720", 1.0)
    assert row["note"] == "AC2 (quadratic) interval runs past [-1, 1] and is clipped"


def test_perfect_agreement(check):
    rows = [("good", "good")] * 4 + [("RI", "RI")] * 3 + [("inadequate", "inadequate")] * 3
    (row,) = self_vs_inspector(check(_cases(rows)).dataset).rows
    assert (row["agree"], row["over"], row["under"], str(row["kappa"])) == (10, 0, 0, "1.000")
    assert row["sign_test_p"] is None and row["bowker"] is None
    assert row["stuart_maxwell"] is None
    assert row["note"] == ("no disagreements: the sign test, Bowker's and the Stuart-Maxwell "
                           "tests are not computable")


def test_one_assessor_using_one_grade_is_flagged_not_printed_as_zero(check):
    rows = [("good", "good"), ("good", "RI"), ("good", "inadequate"), ("good", "RI")]
    (row,) = self_vs_inspector(check(_cases(rows)).dataset).rows
    assert row["kappa"] is None and row["kappa_linear"] is None and row["kappa_ci_low"] is None
    assert "kappa not reported: the force used one grade only ('good')" in row["note"]
    assert "small sample (n = 4, under 10)" in row["note"]
    assert row["small_sample"] is True


def test_both_assessors_using_the_same_single_grade(check):
    (row,) = self_vs_inspector(check(_cases([("RI", "RI")] * 3)).dataset).rows
    assert row["kappa"] is None
    assert row["note"].startswith("kappa undefined: force and inspectors graded every case "
                                  "'requires improvement'")


def test_a_single_case(check):
    (row,) = self_vs_inspector(check(_cases([("good", "inadequate")])).dataset).rows
    assert (row["n"], row["over"], str(row["mean_gap"]), str(row["sign_test_p"])) == \
        (1, 1, "2.000", "1")
    assert row["kappa"] is None and row["bowker_df"] == 1


def test_four_grade_scale_and_grades_without_disagreement(check):
    doc = PREAMBLE + "cases:\n" + "".join(
        f"  - {{id: D{i}, inspection: t-2015, area: cse, sample: self-assessed, "
        f"force_grade: {fg}, inspector_grade: {ig}}}\n"
        for i, (fg, ig) in enumerate([("good", "adequate")] * 5 + [("adequate", "good")]
                                     + [("inadequate", "inadequate")] * 4
                                     + [("RI", "RI")] * 2))
    (row,) = self_vs_inspector(check(doc).dataset).rows
    assert row["adequate_diff_pp"] is not None and row["force_adequate"] == 1
    assert (row["stuart_maxwell_df"], row["bowker_df"]) == (1, 1)
    assert ("Stuart-Maxwell: grades without disagreements dropped (requires improvement, "
            "inadequate), df 1") in row["note"]


def test_published_basis_has_no_paired_statistics(gwent):
    (row,) = self_vs_inspector(gwent, Filters(force="gwent")).rows
    paired = ["agree", "agree_pct", "agree_ci_low", "mean_gap", "sign_test_p", "kappa",
              "kappa_linear", "kappa_max", "bowker", "bowker_exact_p", "stuart_maxwell"]
    assert all(row[k] is None for k in paired)
    assert (str(row["force_good_ci_low"]), str(row["force_good_ci_high"])) == ("65.6", "91.4")
    assert "no kappa or paired test is given" in row["note"]


def test_the_kappa_paradox_is_flagged_in_the_note(check):
    """Feinstein and Cicchetti's (1990) skewed table on a three-grade scale (inadequate
    unused): 85 of 100 agree, kappa 0.318 (their 0.32), AC1 by hand: shares 0.875 / 0.125 / 0,
    chance (3 / 6) * 2 * 0.875 * 0.125 = 0.109375, (0.85 - 0.109375) / 0.890625 = 0.832."""
    pairs = ([("good", "good")] * 80 + [("good", "RI")] * 10 + [("RI", "good")] * 5
             + [("RI", "RI")] * 5)
    (row,) = self_vs_inspector(check(_cases(pairs)).dataset).rows
    assert (str(row["kappa"]), str(row["ac1"])) == ("0.318", "0.832")
    assert ("kappa paradox: the assessors agreed on 85 of 100 cases, yet kappa is 0.318 "
            "against AC1 0.832") in row["note"]


def test_a_disputed_self_assessment_is_named_not_silently_missing():
    # West Yorkshire 2014: the inspectors' grades of "the same 33 cases" add up to 34, so the
    # stated total is held as disputed (data/national.yaml) and the pair is not compared.
    from ncpi_cli.analysis.compare import self_vs_inspector
    from ncpi_cli.analysis.select import Filters
    from ncpi_cli.ingest import load

    result = self_vs_inspector(load().dataset, Filters(force="west-yorkshire"))
    assert result.rows == []
    assert result.notes == ["west-yorkshire-2015: the self-assessed tallies are partial or "
                            "disputed (the grade distributions and the reconciliation show "
                            "them), so the force's grades are not compared with the "
                            "inspectors'"]
