"""Plain readings of the statistics: the figures they quote are the rows' own, and a p-value
is read as a frequency (0.2041 -> about 20 in 100; 0.003418 -> about 3 in 1,000)."""

from __future__ import annotations

from decimal import Decimal

from conftest import EXAMPLE
from ncpi_cli import api
from ncpi_cli.analysis.readings import _chance


def test_p_values_read_as_frequencies():
    assert _chance(Decimal("0.2041")) == "about 20 in 100 samples"
    assert _chance(Decimal("0.003418")) == "about 3 in 1,000 samples"
    assert _chance(Decimal("0.0000004")) == "fewer than 1 in 100,000 samples"
    # p = 1 (e.g. a sign test on one over and one under): not "about 100 in 100 samples"
    assert _chance(Decimal("1")) == _chance(Decimal("0.996")) == "nearly every sample"
    assert _chance(Decimal("0.994")) == "about 99 in 100 samples"


def test_gwent_readings():
    """Gwent 2019 (report p.15): FFH p 0.2041 (tests/test_stats.py derives it two ways); the
    published totals allow agreement on 4 to 16 of 33 and over-grading on 17 or more."""
    data = api.load().dataset
    gwent = api.Filters(force="gwent")
    (pairing,) = api.self_vs_inspector(data, gwent).rows
    assert pairing["reading"] == (
        "The report gives only the two totals: the force and the inspectors agreed on between "
        "4 and 16 of 33 cases, and the force graded more favourably than the inspectors on at "
        "least 17.")
    (samples,) = api.samples(data, gwent).rows
    assert "by chance in about 20 in 100 samples (Fisher–Freeman–Halton p = 0.2041)" in \
        samples["reading"]
    assert samples["reading"].startswith("No clear evidence")


def test_case_level_reading_quotes_its_counts():
    rows = api.self_vs_inspector(api.load([EXAMPLE]).dataset).rows
    row = next(r for r in rows if r["inspection"] == "exampleshire-2015")
    assert row["reading"].startswith(
        f"The force graded more favourably than the inspectors on {row['over']} of {row['n']} "
        f"cases and less favourably on {row['under']}")
    assert f"(sign test p = {row['sign_test_p']})" in row["reading"]
