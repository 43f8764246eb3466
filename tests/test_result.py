"""The output contract: declared columns, kinds that hold, one selection step with its
account, reasons in domain words, and the statistics registry."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE, REPO
from ncpi_cli.analysis import statistics
from ncpi_cli.analysis.compare import LAYOUT as COMPARE
from ncpi_cli.analysis.compare import cross_table, self_vs_inspector
from ncpi_cli.analysis.grades import grades
from ncpi_cli.analysis.lifecycle import recommendations, timeline
from ncpi_cli.analysis.reconcile import reconcile
from ncpi_cli.analysis.review import initial_vs_review
from ncpi_cli.analysis.samples import samples
from ncpi_cli.analysis.select import NO_FILTERS, Filters
from ncpi_cli.cli import app
from ncpi_cli.ingest import load
from ncpi_cli.output import build_manifest
from ncpi_cli.result import Column, Kind, Layout, per_grade

DAY = dt.date(2026, 11, 22)
BUNDLED = REPO / "src" / "ncpi_cli" / "data"


@pytest.fixture(scope="module")
def datasets():
    return {"bundled": load().dataset, "example": load([EXAMPLE]).dataset,
            "both": load([BUNDLED, EXAMPLE]).dataset}


def _results(dataset, filters=NO_FILTERS):
    yield grades(dataset, filters)
    yield grades(dataset, filters, "force")
    if filters.sample in (None, "self-assessed"):
        yield self_vs_inspector(dataset, filters, by_area=True)
        yield cross_table(dataset, filters, by_area=True)
    if filters.sample is None:
        yield samples(dataset, filters, by_area=True)
    yield initial_vs_review(dataset, filters, DAY)
    yield reconcile(dataset, Filters(filters.force, filters.inspection))
    yield recommendations(dataset, Filters(filters.force, filters.inspection, filters.area), DAY)
    yield timeline(dataset, Filters(filters.force, filters.inspection), DAY)


SELECTIONS = [Filters(), Filters(force="gwent"), Filters(inspection="exampleshire-2015"),
              Filters(area="cse"), Filters(area="all"), Filters(sample="self-assessed"),
              Filters(sample="inspector-selected")]


def test_every_value_is_of_its_declared_kind(datasets):
    checked = 0
    for result in _results(datasets["both"]):
        view = result.layout.view_names(result.grades)
        declared = {*result.columns, *result.json_extras, *view}
        for row in result.rows:
            assert set(row) <= declared, result.command
            for name, value in row.items():
                kind = result.column(name).kind
                assert kind.holds(value), (result.command, name, value)
                checked += value is not None
    assert checked > 1000  # a real check: the two data sets fill over a thousand cells


def test_kinds_reject_what_they_do_not_hold():
    from decimal import Decimal

    assert Kind.PCT.holds(Decimal("46.3")) and not Kind.PCT.holds(Decimal("46.25"))
    assert not Kind.PCT.holds(Decimal("-1.0")) and Kind.POINTS.holds(Decimal("-51.5"))
    assert not Kind.COUNT.holds(True) and not Kind.COUNT.holds(Decimal(3))
    assert Kind.DATE.holds("2019-06") and not Kind.DATE.holds("June 2019")
    assert not Kind.P_VALUE.holds(Decimal("1.5")) and Kind.FLAG.holds(False)


def test_templates_expand_grade_by_grade():
    layout = Layout("x", (Column("n", Kind.COUNT, "n"), Column("<grade>", Kind.COUNT, "c"),
                          per_grade(Column("<grade>_ci_low", Kind.INTERVAL, "i"),
                                    Column("<grade>_ci_high", Kind.INTERVAL, "i"))))
    assert layout.names(("good", "inadequate")) == [
        "n", "good", "inadequate", "good_ci_low", "good_ci_high", "inadequate_ci_low",
        "inadequate_ci_high"]
    assert layout.column("requires_improvement_ci_high").name == "<grade>_ci_high"
    with pytest.raises(KeyError):
        layout.column("kappa")


def test_the_account_balances_for_every_analysis_and_selection(datasets):
    """read = used + not used, per kind; every record of the loaded data is accounted."""
    dataset = datasets["both"]
    sizes = {"forces": len(dataset.forces), "inspections": len(dataset.inspections),
             "tallies": len(dataset.tallies), "cases": len(dataset.cases),
             "recommendations": len(dataset.recommendations)}
    for filters in SELECTIONS:
        for result in _results(dataset, filters):
            for kind, size in sizes.items():
                used = result.account.used.get(kind, 0)
                rejected = sum(result.account.reasons(kind).values())
                assert used + rejected == size, (result.command, filters, kind)


def test_reasons_are_domain_words_and_the_cli_names_its_flags(datasets):
    dataset = datasets["both"]
    # the example's cases are all outside a selection of Gwent (counted from the records)
    example_cases = sum(c.inspection.startswith("exampleshire") for c in dataset.cases)
    result = grades(dataset, Filters(force="gwent"))
    manifest = build_manifest(result, dataset, {})
    reasons = manifest["records"]["by_kind"]["cases"]["reasons"]
    assert {"reason": "outside the selected force", "count": example_cases} in reasons
    cli = CliRunner().invoke(app, ["grades", "--force", "gwent", "--format", "json", "--data",
                                   str(BUNDLED), "--data", str(EXAMPLE)])
    phrased = json.loads(cli.stdout)["manifest"]["records"]["by_kind"]["cases"]["reasons"]
    assert {"reason": "outside --force", "count": example_cases} in phrased


def test_no_library_text_names_a_flag(datasets):
    """Notes, mismatches, row notes and reasons from every analysis under every selection."""
    texts = set()
    runs = [*((datasets["both"], f) for f in SELECTIONS),
            *((d, Filters()) for d in datasets.values())]
    for data, filters in runs:
        for result in _results(data, filters):
            texts.update(result.notes + result.mismatches)
            texts.update(str(r) for (_, r) in result.account.excluded)
            texts.update(str(row.get("note")) for row in result.rows)
    texts.add(str(_raised(lambda: samples(datasets["bundled"], Filters(sample="all")))))
    texts.add(str(_raised(lambda: self_vs_inspector(datasets["bundled"],
                                                    Filters(sample="all")))))
    assert len(texts) > 20
    assert [t for t in texts if "--" in t] == []


def _raised(call):
    try:
        call()
    except Exception as error:
        return error
    raise AssertionError("no error raised")


def test_the_registry_declares_the_compare_statistics():
    """Adding a statistic is its function plus one entry: its columns join the compare
    layout in registry order, and an entry fills only the columns it declares."""
    names = [c.name for c in statistics.columns()]
    columns = COMPARE.names(("good",))
    start = columns.index(names[0])
    assert columns[start:start + len(names)] == names
    table = [[5, 7, 0], [2, 6, 4], [0, 1, 8]]  # the example's 2021 table (tests/test_cli.py)
    paired = statistics.Paired(("good", "requires_improvement", "inadequate"), table, 11, 3)
    for entry in statistics.REGISTRY:
        outcome = entry.function(paired)
        assert set(outcome.values) <= {c.name for c in entry.columns}, entry.name
    assert set(statistics.compute(paired).values) == set(names)
