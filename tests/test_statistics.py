"""The registry's prevalence and bias indices and alpha intervals, on worked tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ncpi_cli.analysis import stats
from ncpi_cli.analysis.readings import coefficient_readings
from ncpi_cli.analysis.statistics import Paired, compute

TWO = ("good", "requires_improvement")
THREE = ("good", "requires_improvement", "inadequate")


def _paired(table, scale) -> Paired:
    k = len(table)
    over = sum(table[i][j] for i in range(k) for j in range(k) if j > i)
    under = sum(table[i][j] for i in range(k) for j in range(k) if j < i)
    return Paired(scale, table, over, under)


def test_byrt_indices_on_the_skewed_feinstein_cicchetti_table():
    # a = 80 both good, d = 5 both not good, b = 10, c = 5, n = 100:
    # PI = (80 - 5) / 100 = 0.75, BI = (10 - 5) / 100 = 0.05.
    values = compute(_paired([[80, 10], [5, 5]], TWO)).values
    assert (values["prevalence_index"], values["bias_index"]) == (Decimal("0.750"),
                                                                  Decimal("0.050"))
    # Byrt, Bishop & Carlin's identity: kappa = (PABAK - PI^2 + BI^2) / (1 - PI^2 + BI^2),
    # with PABAK = 2 * 0.85 - 1 = 0.70: (0.70 - 0.5625 + 0.0025) / 0.44 = 0.318.
    kappa = (0.70 - 0.75 ** 2 + 0.05 ** 2) / (1 - 0.75 ** 2 + 0.05 ** 2)
    assert stats.kappa([[80, 10], [5, 5]]).kappa == pytest.approx(kappa)


def test_byrt_indices_collapse_three_grades_to_good_and_not_good():
    # force rows, inspectors columns: good/good 10, good/RI 6, good/inadequate 2,
    # RI/good 1, the rest not good by both (4 + 3 + 0 + 4 = 11); n = 30.
    table = [[10, 6, 2], [1, 4, 3], [0, 0, 4]]
    values = compute(_paired(table, THREE)).values
    assert values["prevalence_index"] == Decimal(f"{(10 - 11) / 30:.3f}")  # -0.033
    assert values["bias_index"] == Decimal(f"{(8 - 1) / 30:.3f}")  # 0.233


def test_alpha_intervals_and_how_they_were_drawn():
    values = compute(_paired([[18, 0, 0], [7, 10, 0], [0, 0, 1]], THREE)).values
    boot = stats.alpha_bootstrap([[18, 0, 0], [7, 10, 0], [0, 0, 1]])
    assert values["alpha_ordinal_ci_low"] == Decimal(f"{boot.low:.3f}")
    assert values["alpha_interval"] == (f"percentile bootstrap of the cases, "
                                        f"{stats.ALPHA_DRAWS:,} draws, seed {stats.ALPHA_SEED}")
    one_grade = compute(_paired([[6, 0], [0, 0]], TWO)).values
    assert one_grade["alpha_ordinal"] is None and "alpha_ordinal_ci_low" not in one_grade


def test_each_coefficient_has_a_reading_with_its_own_figure():
    row = {"force_good_pct": 1, "force_requires_improvement_pct": 1,
           "force_inadequate_pct": 1, "kappa": Decimal("0.624"), "kappa_max": Decimal("0.731"),
           "ac1": Decimal("0.706"), "bp": Decimal("-0.100"), "alpha_ordinal": Decimal("0.719"),
           "prevalence_index": Decimal("-0.061"), "bias_index": Decimal("0.152")}
    words = coefficient_readings(row)
    assert "reached 62% of the agreement possible beyond chance" in words["kappa"]
    assert "at most 0.731" in words["kappa"]
    assert "71%" in words["ac1"]
    assert "1 in 3" in words["bp"] and "less agreement than chance" in words["bp"]
    assert "28% of what pairing the same grades at random would give" in words[
        "alpha_ordinal"]
    assert "by 6 in every 100" in words["prevalence_bias"]
    assert "the force graded good is 15 points above the inspectors' share" in \
        words["prevalence_bias"]
    assert not any(label in " ".join(words.values()) for label in
                   ("substantial", "moderate", "almost perfect", "fair agreement"))
