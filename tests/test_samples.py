"""`compare --samples`: the inspectors' grades of the two samples, from tallies and cases."""

from __future__ import annotations

import pandas as pd
import pytest
import scipy.stats as ss

from conftest import EXAMPLE
from ncpi_cli.analysis.samples import samples
from ncpi_cli.analysis.select import Filters
from ncpi_cli.errors import SelectionError
from ncpi_cli.ingest import load


def test_gwent_2019_samples():
    """p.15: inspectors graded the 33 self-assessed cases 10/17/6 and the 47 they selected
    10/20/17. Differences (selected minus self-assessed) from exact shares:
    10/47 - 10/33 = -9.03, 20/47 - 17/33 = -8.96, 17/47 - 6/33 = +17.99 points."""
    (row,) = samples(load().dataset).rows
    assert (row["self_assessed_n"], row["inspector_selected_n"]) == (33, 47)
    assert [row[f"self_assessed_{g}"] for g in ("good", "requires_improvement",
                                                "inadequate")] == [10, 17, 6]
    assert [row[f"inspector_selected_{g}"] for g in ("good", "requires_improvement",
                                                     "inadequate")] == [10, 20, 17]
    assert [str(row[f"{g}_diff_pp"]) for g in ("good", "requires_improvement",
                                                "inadequate")] == ["-9.0", "-9.0", "18.0"]
    assert (row["fisher_method"], row["mann_whitney_method"]) == ("exact", "exact")
    # scipy's Monte Carlo R x C Fisher test is close, not exact (a check of magnitude only)
    ref = ss.fisher_exact([[10, 17, 6], [10, 20, 17]],
                          method=ss.MonteCarloMethod(rng=1, n_resamples=20000))
    assert float(row["fisher_exact_p"]) == pytest.approx(ref.pvalue, abs=0.02)
    # exact values, each checked by a second method in test_stats.py: FFH by enumeration with
    # scipy's multivariate hypergeometric pmf, Mann-Whitney U and exact p likewise
    assert str(row["fisher_exact_p"]) == "0.2041"
    assert str(row["mann_whitney_u"]) == "930.0"
    assert str(row["mann_whitney_p"]) == "0.1026"


def test_samples_from_cases_match_pandas():
    dataset = load([EXAMPLE]).dataset
    result = samples(dataset, Filters(inspection="exampleshire-2021"))
    (row,) = result.rows
    frame = pd.DataFrame([{"sample": c.sample, "grade": c.inspector_grade}
                          for c in dataset.cases if c.inspection == "exampleshire-2021"])
    counts = pd.crosstab(frame["sample"], frame["grade"])
    for sample, prefix in (("self-assessed", "self_assessed"),
                           ("inspector-selected", "inspector_selected")):
        for grade in ("good", "requires_improvement", "inadequate"):
            assert row[f"{prefix}_{grade}"] == counts.loc[sample, grade]
    assert row["basis"] == "cases"


def test_sample_filter_does_not_apply():
    """The library says so in domain words, with the field and value for a caller to
    phrase (the CLI names --sample: tests/test_cli.py)."""
    with pytest.raises(SelectionError) as raised:
        samples(load().dataset, Filters(sample="self-assessed"))
    assert str(raised.value) == ("the sample comparison compares the two samples: a sample "
                                 "selection does not apply")
    assert (raised.value.field, raised.value.value, raised.value.only) == (
        "sample", "self-assessed", None)


def test_an_empty_sample_is_said_not_tested(check):
    from conftest import PREAMBLE

    doc = PREAMBLE + ("tallies:\n"
                      "  - {inspection: t-2019, sample: self-assessed, assessor: inspector,"
                      " good: 0}\n"
                      "  - {inspection: t-2019, sample: inspector-selected,"
                      " assessor: inspector, good: 3, inadequate: 1}\n")
    (row,) = samples(check(doc).dataset).rows
    assert row["fisher_exact_p"] is None
    assert "a sample has no cases: no test is computable" in row["note"]
