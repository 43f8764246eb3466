"""`national`: one row per report, partial figures kept partial, disputes never used, and
each row's funnel band against the pool of comparable reports.

The figures below are made up for the test (forces `f01`...); each expected number is worked
out here from them by hand or with scipy, not by the module's helpers."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from scipy.stats import binom
from typer.testing import CliRunner

from ncpi_cli.analysis.national import national
from ncpi_cli.analysis.select import Filters
from ncpi_cli.cli import app
from ncpi_cli.errors import SelectionError

#: (force, inadequate, n) of twelve 2017-scale inspections
UNITS = [("f01", 10, 40), ("f02", 12, 50), ("f03", 30, 60), ("f04", 8, 45),
         ("f05", 20, 70), ("f06", 15, 55), ("f07", 9, 30), ("f08", 25, 80),
         ("f09", 14, 65), ("f10", 11, 35), ("f11", 18, 75), ("f12", 5, 40)]


def _document() -> str:
    lines = ["ncpi: 1", "forces:"]
    lines += [f"  - {{id: {f}, name: Force {f[1:]}}}" for f, _, _ in UNITS]
    lines += ["  - {id: old, name: Old Force}", "inspections:"]
    lines += [f"  - {{id: {f}-2020, force: {f}, kind: inspection, published: 2020-0{1 + i % 9}}}"
              for i, (f, _, _) in enumerate(UNITS)]
    lines += [
        "  - {id: f01-2018, force: f01, kind: inspection, published: 2018-05}",
        "  - {id: f01-2021-review, force: f01, kind: post-inspection-review, follows: f01-2020,"
        " published: 2021-03}",
        "  - {id: old-2015, force: old, kind: inspection, methodology: ncpi-2014,"
        " published: 2015-07}",
        "  - {id: f02-2016, force: f02, kind: inspection, published: 2016-02}",
        "tallies:"]
    for f, y, n in UNITS:
        lines.append(f"  - {{inspection: {f}-2020, assessor: inspector, good: {n - y - 5},"
                     f" requires_improvement: 5, inadequate: {y}}}")
    lines += [
        "  - {inspection: f01-2018, assessor: inspector, good: 1, requires_improvement: 1,"
        " inadequate: 1}",
        "  - {inspection: f01-2021-review, assessor: inspector, good: 10, not_good: 20,"
        " stated_total: 30, unstated: [requires_improvement, inadequate]}",
        "  - {inspection: old-2015, assessor: inspector, good: 5, adequate: 5,"
        " requires_improvement: 5, inadequate: 5}",
        "  - inspection: f02-2016",
        "    assessor: inspector",
        "    good: 20",
        "    requires_improvement: 35",
        "    inadequate: 28",
        "    source: {publisher: Paper A, primary: false}",
        "    disputes: [{key: inadequate, value: 23, source: {publisher: Paper B,"
        " primary: false}}]",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def data(check):
    result = check(_document())
    assert result.ok, result.problems
    return result.dataset


def _row(result, inspection):
    return next(r for r in result.rows if r["inspection"] == inspection)


def _limit(p0: float, n: int, prob: float) -> float:
    """Spiegelhalter's interpolated binomial limit, from scipy's quantile and CDF."""
    r = binom.ppf(prob, n, p0)
    f_r, f_below = binom.cdf(r, n, p0), binom.cdf(r - 1, n, p0)
    alpha = (f_r - prob) / (f_r - f_below)
    return max(0.0, (r - alpha) / n)


def test_latest_report_of_each_kind_per_force(data):
    shown = [r["inspection"] for r in national(data).rows]
    assert "f01-2018" not in shown  # an earlier inspection of f01
    assert {"f01-2020", "f01-2021-review", "old-2015"} <= set(shown)
    every = [r["inspection"] for r in national(data, every=True).rows]
    assert {"f01-2018", "f02-2016"} <= set(every)


def test_pooled_rate_limits_and_band_by_hand(data):
    result = national(data)
    y = sum(u[1] for u in UNITS)  # 177
    n = sum(u[2] for u in UNITS)  # 645
    p0 = y / n
    row = _row(result, "f03-2020")  # 30 of 60 = 50%
    assert row["group"] == "inspections, ncpi-2017"
    assert row["units"] == 12
    assert row["pooled_pct"] == Decimal(f"{100 * p0:.1f}")  # 27.4
    assert float(row["limit95_high"]) == pytest.approx(100 * _limit(p0, 60, 0.975), abs=0.05)
    assert float(row["limit998_high"]) == pytest.approx(100 * _limit(p0, 60, 0.999), abs=0.05)
    # 30/60 = 0.5 lies above both upper limits (0.39.. and 0.45..): far out.
    assert row["band"] == "above 99.8%"
    # 5 of 40 = 12.5%: below the lower 95% limit, not the 99.8% one (scipy decides)
    assert _limit(p0, 40, 0.001) < 5 / 40 < _limit(p0, 40, 0.025)
    assert _row(result, "f12-2020")["band"] == "below 95%"
    assert _row(result, "f06-2020")["band"] == "within 95%"  # 15 of 55 = 27.3%


def test_overdispersion_is_estimated_from_ten_units_only(data):
    inspections = _row(national(data), "f05-2020")
    # these twelve units scatter less than binomial chance (phi 0.63): nothing to widen
    assert inspections["phi"] == Decimal("0.627") and inspections["band_adjusted"] is None
    assert "phi 0.63 is not above 1: no overdispersion to allow for" in inspections["note"]
    review = _row(national(data), "f01-2021-review")  # one follow-up: no funnel for it
    assert review["band"] is None
    assert "no inadequate count stated" in review["note"]
    result = national(data, Filters(force=("f01", "f02")))
    assert [r["force"] for r in result.rows] == ["f01", "f01", "f02"]
    # the filter chooses the rows shown, not the pool they are compared with
    assert _row(result, "f01-2020")["units"] == 12


def test_a_partial_tally_gives_what_it_states_and_no_more(data):
    row = _row(national(data), "f01-2021-review")
    assert (row["n"], row["good"], row["requires_improvement"], row["inadequate"]) == (
        30, 10, None, None)
    assert (row["not_good"], row["not_good_pct"]) == (20, Decimal("66.7"))
    assert "partial: the source does not state requires improvement, inadequate" in row["note"]


def test_a_disputed_figure_is_shown_as_disputed_and_not_used(data):
    row = _row(national(data, every=True), "f02-2016")
    assert row["inadequate"] is None and row["band"] is None
    assert "inadequate disputed: 28 or 23" in row["note"]
    assert row["good"] == 20


def test_scales_are_pooled_apart_unless_collapsed(data):
    old = _row(national(data), "old-2015")
    assert old["group"] == "inspections, ncpi-2014" and old["band"] is None
    assert "a pool of fewer than 3 is mostly the report itself" in old["note"]
    collapsed = national(data, outcome="not-good", collapse=True)
    assert _row(collapsed, "old-2015")["group"] == _row(collapsed, "f03-2020")["group"]
    with pytest.raises(SelectionError, match="choose the grade good or not-good"):
        national(data, collapse=True)


def test_sort_puts_rows_without_a_value_last(data):
    rows = national(data, sort="outcome_pct", descending=True).rows
    shares = [r["outcome_pct"] for r in rows]
    known = [s for s in shares if s is not None]
    assert known == sorted(known, reverse=True)
    assert shares[: len(known)] == known
    with pytest.raises(SelectionError, match="unknown column 'rank'"):
        national(data, sort="rank")


def test_cli_repeated_force_means_any_and_a_repeated_single_option_is_refused(data, tmp_path):
    path = tmp_path / "n.yaml"
    path.write_text(_document())
    runner = CliRunner()
    out = runner.invoke(app, ["national", "--data", str(path), "--force", "f01", "--force",
                              "f02", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)["rows"]
    assert {r["force"] for r in rows} == {"f01", "f02"}
    twice = runner.invoke(app, ["national", "--data", str(path), "--grade", "good",
                                "--grade", "inadequate"])
    assert twice.exit_code == 2
    assert "--grade is given twice: it takes one value" in twice.output
    report = runner.invoke(app, ["report", "--data", str(path), "--force", "f01", "--force",
                                 "f02"])
    assert report.exit_code == 2
    assert "a report is of one force" in report.output


def test_bundled_reports_say_what_they_publish():
    # West Yorkshire 2014 (published January 2015) gives the inspectors' grades of each
    # sample, not of all 97 cases; Gloucestershire 2025 is graded by topic.
    from ncpi_cli.ingest import load

    rows = {r["inspection"]: r for r in national(load().dataset, every=True).rows}
    assert rows["west-yorkshire-2015"]["n"] is None
    assert "figures published only for part of the cases" in rows["west-yorkshire-2015"]["note"]
    assert "graded by topic (2024 methodology)" in rows["gloucestershire-2025"]["note"]
    assert rows["in-harms-way-2015"]["group"] is None  # a thematic report is on no funnel
    # Devon and Cornwall 2015: September in the record's (secondary) source, July in HMIC's
    # release: the primary date is shown, and the note says so
    devon = rows["devon-and-cornwall-2015"]
    assert devon["published"] == "2015-07"
    assert "published: 2015-07 from the primary source is used" in devon["note"]


def test_adjusted_limits_widen_by_phi_when_units_scatter(check):
    # Twelve inspections of 50 cases, alternately 5 and 30 inadequate: pooled 35 / 100 = 0.35,
    # far more spread than binomial, so phi > 1 and the adjusted 95% limits at n = 50 are
    # 0.35 -/+ 1.96 * sqrt(phi * 0.35 * 0.65 / 50) (Spiegelhalter 2005, multiplicative).
    import math

    lines = ["ncpi: 1", "forces:"]
    lines += [f"  - {{id: g{i:02d}, name: G{i}}}" for i in range(12)]
    lines += ["inspections:"]
    lines += [f"  - {{id: g{i:02d}-2020, force: g{i:02d}, kind: inspection}}" for i in range(12)]
    lines += ["tallies:"]
    for i in range(12):
        y = 5 if i % 2 else 30
        lines.append(f"  - {{inspection: g{i:02d}-2020, assessor: inspector, good: {45 - y}, "
                     f"requires_improvement: 5, inadequate: {y}}}")
    result = check("\n".join(lines) + "\n")
    assert result.ok, result.problems
    row = _row(national(result.dataset), "g00-2020")
    phi = float(row["phi"])
    assert phi > 1
    half = 1.959963984540054 * math.sqrt(phi * 0.35 * 0.65 / 50)
    # clipped to [0, 1]: a share cannot fall below 0
    assert float(row["adjusted95_low"]) == pytest.approx(100 * max(0.0, 0.35 - half), abs=0.06)
    assert float(row["adjusted95_high"]) == pytest.approx(100 * (0.35 + half), abs=0.06)
    assert row["band_adjusted"] == "within 95%"  # 30 of 50 = 60%, inside the widened band


def test_one_report_per_force_in_a_pool(data):
    # f01 has two 2017-scale inspections (2018 and 2020); with --every both are shown, but the
    # pool takes the latest only: still twelve units, 177 of 645.
    rows = {r["inspection"]: r for r in national(data, every=True).rows}
    assert rows["f01-2018"]["units"] == 12 == rows["f01-2020"]["units"]
    assert rows["f01-2018"]["pooled_pct"] == Decimal("27.4")
