"""`compare --initial-vs-review` on the bundled national figures: the change in points with
Newcombe's interval, the independent-sample tests, and partial or disputed figures left out
of every sum they cannot support."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from scipy.stats import fisher_exact

from ncpi_cli.analysis.review import initial_vs_review
from ncpi_cli.analysis.select import Filters
from ncpi_cli.ingest import load

DAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def bundled():
    return load().dataset


def _row(bundled, force: str, review: str) -> dict:
    rows = initial_vs_review(bundled, Filters(force=force), DAY).rows
    return next(r for r in rows if r["review"] == review)


def _wilson(x: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_north_yorkshire_change_with_newcombe_interval(bundled):
    # HMICFRS figures as bundled (sources in data/national.yaml): inspection 2022, 13 good of
    # 73; review 2023, 11 good of 33. Change 11/33 - 13/73 = 0.15525 -> +15.5 points.
    row = _row(bundled, "north-yorkshire", "north-yorkshire-2023-review")
    assert (row["initial_n"], row["review_n"], row["initial_good"], row["review_good"]) == (
        73, 33, 13, 11)
    assert row["good_diff_pp"] == Decimal("15.5")
    # Newcombe (1998) method 10, written out here: d -/+ sqrt of the squared distances to
    # each sample's Wilson limits.
    p1, p2 = 11 / 33, 13 / 73
    (l1, u1), (l2, u2) = _wilson(11, 33), _wilson(13, 73)
    low = (p1 - p2) - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = (p1 - p2) + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    assert float(row["good_diff_ci_low"]) == pytest.approx(100 * low, abs=0.051)
    assert float(row["good_diff_ci_high"]) == pytest.approx(100 * high, abs=0.051)
    assert row["fisher_exact_p"] is not None and row["mann_whitney_p"] is not None


def test_two_grade_fisher_matches_scipy(check):
    # On a two-row table with good / not good only, the Fisher-Freeman-Halton test is
    # Fisher's exact test: scipy gives the independent value.
    doc = ("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
           "  - {id: i, force: f, kind: inspection, published: 2020-01}\n"
           "  - {id: r, force: f, kind: post-inspection-review, follows: i, "
           "published: 2021-01}\ntallies:\n"
           "  - {inspection: i, assessor: inspector, good: 3, requires_improvement: 17, "
           "inadequate: 0}\n"
           "  - {inspection: r, assessor: inspector, good: 12, requires_improvement: 8, "
           "inadequate: 0}\n")
    (row,) = initial_vs_review(check(doc).dataset, as_of=DAY).rows
    expected = fisher_exact([[3, 17], [12, 8]]).pvalue
    assert float(row["fisher_exact_p"]) == pytest.approx(expected, rel=1e-3)


def test_a_disputed_grade_is_compared_nowhere(bundled):
    # Dorset 2021: inadequate 28 in two sources, 23 in a third (all coverage): disputed.
    row = _row(bundled, "dorset", "dorset-2022-review")
    assert row["initial_inadequate"] is None and row["inadequate_diff_pp"] is None
    assert row["initial_not_good"] is None and row["not_good_diff_pp"] is None
    assert row["good_diff_pp"] == Decimal("8.2")  # 10/31 - 20/83 = 0.0817
    assert row["fisher_exact_p"] is None
    assert "inadequate disputed: 28 or 23" in row["note"]


def test_a_disputed_total_gives_no_percentage(bundled):
    # Metropolitan 2016: 278 not good of 374 cases in two sources, 384 in a third.
    row = _row(bundled, "metropolitan", "metropolitan-2017-q3")
    assert row["initial_n"] is None and row["initial_not_good"] == 278
    assert row["initial_not_good_pct"] is None and row["not_good_diff_pp"] is None
    assert (row["review_n"], row["review_not_good"]) == (135, 125)  # 64 + 61 of 135


def test_methodologies_are_never_mixed_grade_by_grade(check):
    # ncpi-2014 and ncpi-2024 name the same four grades, but they grade different things
    # (cases, then topics): compared on good / not good only, and the note says so.
    doc = ("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
           "  - {id: i, force: f, kind: inspection, methodology: ncpi-2014}\n"
           "  - {id: r, force: f, kind: post-inspection-review, follows: i, "
           "methodology: ncpi-2024}\ntallies:\n"
           "  - {inspection: i, assessor: inspector, good: 3, adequate: 5, "
           "requires_improvement: 7, inadequate: 5}\n"
           "  - {inspection: r, assessor: inspector, good: 6, adequate: 4, "
           "requires_improvement: 6, inadequate: 4}\n")
    (row,) = initial_vs_review(check(doc).dataset, as_of=DAY).rows
    assert row["adequate_diff_pp"] is None and row["inadequate_diff_pp"] is None
    assert row["good_diff_pp"] == Decimal("15.0")  # 6/20 - 3/20
    assert row["fisher_exact_p"] is None
    assert "different methodologies (ncpi-2014, ncpi-2024)" in row["note"]
